import type { LightMyRequestResponse } from 'fastify';
import type { TenantActors } from './actors.js';
import { dialedService, voiceBody } from './cloudonix.js';
import type { TestApp } from './test-app.js';

/** How a played call goes: the first agent answers, or misses and the second answers, or nobody answers. */
export type CallScript = 'answered' | 'failover' | 'no_answer';

/** The webhooks of one call as Cloudonix sends them, each kept so it can be sent again. */
export interface PlayedCall {
  session: string;
  /** Every request sent, in order, to redeliver. */
  sent: (() => Promise<LightMyRequestResponse>)[];
  /** The Dial actions answered (attempt 1, 2, ...). */
  actions: string[];
}

/** Cloudonix's webhooks for a tenant, through the app as HTTP requests. */
export function cloudonixFor(t: TestApp, a: TenantActors, secret: string) {
  const voice = (session: string) => t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, session) });
  const callback = (action: string, session: string, status: string) =>
    t.request({ method: 'POST', url: action.replace(/^https?:\/\/[^/]+/, ''), payload: voiceBody(a.domain, session, { DialCallStatus: status, CallStatus: status }) });
  const sessionUpdate = (body: object) => t.request({ method: 'POST', url: `/api/voice/session/update/${a.domain}?token=${secret}`, payload: body });
  const cdr = (body: object) => t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: body });

  /** Plays a call from the voice request to the CDR; every request must be answered 200. */
  async function play(session: string, script: CallScript): Promise<PlayedCall> {
    const t0 = Date.now() - 60_000;
    const sent: PlayedCall['sent'] = [];
    const actions: string[] = [];
    const send = async (request: () => Promise<LightMyRequestResponse>) => {
      sent.push(request);
      const res = await request();
      if (res.statusCode !== 200) throw new Error(`${res.statusCode}: ${res.body}`);
      return res;
    };
    let dial = dialedService((await send(() => voice(session))).body);
    const update = (n: number, status: string, extra: object = {}) => send(() => sessionUpdate({ eventId: `${session}-${n}`, token: session, status, domain: a.domain, ...extra }));
    await update(1, 'ringing');
    if (script === 'failover' && dial) {
      actions.push(dial.action);
      dial = dialedService((await send(() => callback(dial!.action, session, 'no-answer'))).body);
    }
    const answered = script !== 'no_answer';
    if (answered) await update(2, 'connected', { callAnswerTime: t0 + 1_000 });
    if (dial) {
      actions.push(dial.action);
      await send(() => callback(dial!.action, session, answered ? 'completed' : 'no-answer'));
    }
    await update(3, answered ? 'completed' : 'noanswer', { callEndTime: t0 + 31_000 });
    await send(() =>
      cdr({ domain: a.domain, disposition: answered ? 'ANSWER' : 'NO ANSWER', duration: 31, billsec: answered ? 30 : 0, session: { token: session, callStartTime: t0, callAnswerTime: answered ? t0 + 1_000 : null, callEndTime: t0 + 31_000 } }),
    );
    return { session, sent, actions };
  }

  return { voice, callback, sessionUpdate, cdr, play };
}
