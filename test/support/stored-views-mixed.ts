import { registerTenant } from './actors.js';
import { newSession, parseCxml, voiceBody, webhookSecret } from './cloudonix.js';
import { createAgent, createGroup, createInboundRule } from './fixtures.js';
import { tenantReplacements, type SeededTenant } from './stored-views.js';
import type { TestApp } from './test-app.js';

/**
 * One tenant's varied day, played through the real webhooks with payload times from
 * `base`: a call answered, one overflowing past an agent at its cap, a failover, both
 * agents missing and the fallback number taking the call, a busy agent, a late CDR
 * that corrects what the session said (and is then redelivered with a repeated
 * session update), a repeated voice request, an agent calling out through an
 * outbound rule, a call no rule matches, and a refused webhook.
 */
export async function seedMixedDay(t: TestApp, base: number): Promise<SeededTenant> {
  const a = await registerTenant(t, 'views');
  const secret = await webhookSecret(t, a.admin.token);
  const admin = a.admin.token;
  const put = await t.request({ method: 'PUT', url: '/api/tenant', token: admin, payload: { settings: { fallback: { type: 'number', number: '+15550009999' } } } });
  if (put.statusCode !== 200) throw new Error(`tenant: ${put.statusCode} ${put.body}`);
  const agentA = await createAgent(t, admin, { name: 'Agent A', service_value: '+12125550901', max_concurrent_calls: 1 });
  const agentB = await createAgent(t, admin, { name: 'Agent B', provider: 'retell', service_value: '+12125550902' });
  await createGroup(t, admin, 'priority', [{ agent_id: agentA, priority: 1 }, { agent_id: agentB, priority: 2 }], { max_attempts: 2 });
  const group = (await t.request({ method: 'GET', url: '/api/agent-groups', token: admin })).json<{ data: { id: number }[] }>().data[0]!.id;
  await createInboundRule(t, admin, { pattern: '+1212555????', target_type: 'group', target_id: group, name: 'Main line' });
  const out = await t.request({ method: 'POST', url: '/api/outbound-routing-rules', token: admin, payload: { name: 'Agents out', caller_id: '+1212555090?', destination_pattern: '+44*', trunk_config: { trunks: ['carrier-out'], caller_id: '+12125550100' } } });
  if (out.statusCode !== 201) throw new Error(`outbound rule: ${out.statusCode} ${out.body}`);

  const sessions: string[] = [];
  const ok = async (what: string, p: Promise<{ statusCode: number; body: string }>) => {
    const res = await p;
    if (res.statusCode !== 200) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
    return res.body;
  };
  /** The action URL of the answer's Dial, if it dials. */
  const actionOf = (xml: string): string | null => {
    const dial = parseCxml(xml).Dial as { action?: string } | undefined;
    return dial?.action ?? null;
  };

  const call = (k: number, over: Record<string, unknown> = {}) => {
    const session = newSession();
    sessions.push(session);
    const t0 = base + (40 + k) * 60_000;
    let n = 0;
    const body = { SessionData: { token: session, status: 'processing', callStartTime: t0, domainNameOrId: a.domain }, ...over };
    return {
      t0,
      voice: () => ok(`voice ${k}`, t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session, body) })),
      callback: (action: string | null, status: string) => {
        if (!action) throw new Error(`call ${k}: no Dial to report ${status} for`);
        return ok(`callback ${k}`, t.request({ method: 'POST', url: action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, session, { ...over, DialCallStatus: status, CallStatus: status }) }));
      },
      update: (status: string, extra: Record<string, unknown> = {}, eventNo?: number) =>
        ok(`update ${k}`, t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: { eventId: `${session}-${eventNo ?? ++n}`, token: session, status, domain: a.domain, callStartTime: t0, ...extra } })),
      cdr: (disposition: string, duration: number, billsec: number, answerMs: number | null) =>
        ok(`cdr ${k}`, t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { domain: a.domain, disposition, duration, billsec, session: { token: session, callStartTime: t0, callAnswerTime: answerMs === null ? null : t0 + answerMs, callEndTime: t0 + duration * 1000 } } })),
    };
  };

  // 1 and 2: the second arrives while the first holds agent A's only slot, so it overflows to B.
  const c1 = call(0);
  const a1 = actionOf(await c1.voice());
  await c1.update('ringing');
  await c1.update('connected', { callAnswerTime: c1.t0 + 2_000 });
  const c2 = call(1);
  const a2 = actionOf(await c2.voice());
  await c2.update('connected', { callAnswerTime: c2.t0 + 3_000 });
  await c2.callback(a2, 'completed');
  await c2.update('completed', { callAnswerTime: c2.t0 + 3_000, callEndTime: c2.t0 + 40_000 });
  await c2.cdr('ANSWER', 40, 37, 3_000);
  await c1.callback(a1, 'completed');
  await c1.update('completed', { callAnswerTime: c1.t0 + 2_000, callEndTime: c1.t0 + 75_000 });
  await c1.cdr('ANSWER', 75, 73, 2_000);

  // 3: A does not answer, B does.
  const c3 = call(2);
  const a3 = await c3.callback(actionOf(await c3.voice()), 'no-answer');
  await c3.update('connected', { callAnswerTime: c3.t0 + 20_000 });
  await c3.callback(actionOf(a3), 'completed');
  await c3.update('completed', { callAnswerTime: c3.t0 + 20_000, callEndTime: c3.t0 + 50_000 });
  await c3.cdr('ANSWER', 50, 30, 20_000);

  // 4: neither answers; after two attempts the fallback number takes the call.
  const c4 = call(3);
  const b4 = await c4.callback(actionOf(await c4.voice()), 'no-answer');
  const f4 = await c4.callback(actionOf(b4), 'no-answer');
  const fa4 = actionOf(f4);
  await c4.update('connected', { callAnswerTime: c4.t0 + 45_000 });
  if (fa4) await c4.callback(fa4, 'completed');
  await c4.update('completed', { callAnswerTime: c4.t0 + 45_000, callEndTime: c4.t0 + 70_000 });
  await c4.cdr('ANSWER', 70, 25, 45_000);

  // 5: A is busy (failover on busy is off).
  const c5 = call(4);
  await c5.callback(actionOf(await c5.voice()), 'busy');
  await c5.update('busy', { callEndTime: c5.t0 + 4_000 });
  await c5.cdr('BUSY', 4, 0, null);

  // 6: the session says the call ended after 20 s; the CDR, later, says 65 s, 60 billed. Both then arrive again.
  const c6 = call(5);
  const a6 = actionOf(await c6.voice());
  await c6.update('connected', { callAnswerTime: c6.t0 + 5_000 });
  await c6.callback(a6, 'completed');
  await c6.update('completed', { callAnswerTime: c6.t0 + 5_000, callEndTime: c6.t0 + 20_000 }, 9);
  await c6.cdr('ANSWER', 65, 60, 5_000);
  await c6.update('completed', { callAnswerTime: c6.t0 + 5_000, callEndTime: c6.t0 + 20_000 }, 9);
  await c6.cdr('ANSWER', 65, 60, 5_000);

  // 7: Cloudonix asks twice for the same call; the second answer must route nothing new.
  const c7 = call(6);
  await c7.voice();
  const a7 = actionOf(await c7.voice());
  await c7.update('ringing');
  await c7.update('connected', { callAnswerTime: c7.t0 + 6_000 });
  await c7.callback(a7, 'completed');
  await c7.update('completed', { callAnswerTime: c7.t0 + 6_000, callEndTime: c7.t0 + 36_000 });
  await c7.cdr('ANSWER', 36, 30, 6_000);

  // 8: agent A calls out to London through the outbound rule.
  const c8 = call(7, { From: '+12125550901', To: '+442071234567' });
  const a8 = actionOf(await c8.voice());
  await c8.update('connected', { callAnswerTime: c8.t0 + 8_000 });
  if (a8) await c8.callback(a8, 'completed');
  await c8.update('completed', { callAnswerTime: c8.t0 + 8_000, callEndTime: c8.t0 + 98_000 });
  await c8.cdr('ANSWER', 98, 90, 8_000);

  // 9: a number no rule matches goes to the fallback number.
  const c9 = call(8, { To: '+33100000000' });
  const a9 = actionOf(await c9.voice());
  await c9.update('connected', { callAnswerTime: c9.t0 + 4_000 });
  if (a9) await c9.callback(a9, 'completed');
  await c9.update('completed', { callAnswerTime: c9.t0 + 4_000, callEndTime: c9.t0 + 14_000 });
  await c9.cdr('ANSWER', 14, 10, 4_000);

  // A session update with a wrong secret: refused, and audited as such.
  const refused = await t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=wrong-secret`, payload: { token: sessions[0], status: 'completed' } });
  if (refused.statusCode !== 401) throw new Error(`wrong secret: ${refused.statusCode}`);

  return { name: 'mixed-day', actors: a, sessions, replacements: tenantReplacements(a, sessions, secret) };
}
