import { describe, expect, it } from 'vitest';
import { playCall } from '../../src/cli/simulate-call.js';
import { legOf, readCxml } from '../../src/cli/simulate-cxml.js';
import type { Answer, WebhookRequest } from '../../src/cli/simulate-http.js';
import { scriptedCall } from '../../src/cli/simulate-load.js';
import { callRandom, DEFAULT_MIX, parseMix, planScenarios, scriptFor, type CallScript } from '../../src/cli/simulate-mix.js';
import { newCall } from '../../src/cli/simulate-payloads.js';

const DOMAIN = 'acme.cloudonix.net';
const START = Date.UTC(2026, 0, 1, 10, 0, 0, 123);
const cxml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;
const dial = (attempt: number, timeout = 30) =>
  cxml(`<Dial timeout="${timeout}" action="https://lb.example.org/api/voice/callback/${DOMAIN}?attempt=${attempt}" method="POST"><Service provider="vapi">+12125551001</Service></Dial>`);
const connect = (attempt: number) =>
  cxml(`<Connect action="https://lb.example.org/api/voice/callback/${DOMAIN}?attempt=${attempt}" method="POST"><Stream url="wss://agents.example.com/ws?a=1&amp;b=2"><Parameter name="x" value="y"/></Stream></Connect>`);
const HANGUP = cxml('<Hangup/>');

/** A scripted service: voice and callback requests get the next CXML in turn; session updates and CDRs a 201. */
function fakeService(cxmlAnswers: string[], status: (r: WebhookRequest) => number = () => 200) {
  const sent: WebhookRequest[] = [];
  const send = async (r: WebhookRequest): Promise<Answer> => {
    sent.push(r);
    const body = r.kind === 'voice' || r.kind === 'action' ? (cxmlAnswers.shift() ?? HANGUP) : '';
    return { status: r.kind === 'session' || r.kind === 'cdr' ? 201 : status(r), contentType: 'application/xml', body, ms: 1 };
  };
  return { sent, send };
}

const sessionStatuses = (sent: WebhookRequest[]) => sent.filter((r) => r.kind === 'session').map((r) => r.body.status);
const lastCdr = (sent: WebhookRequest[]) => sent.filter((r) => r.kind === 'cdr').at(-1)!.body;

describe('simulator: reading CXML', () => {
  it('reads a WebSocket agent (<Connect><Stream>) and the Dial timeout as legs', () => {
    const ws = legOf(readCxml(connect(2)));
    expect(ws).toEqual({ verb: 'Connect', label: 'websocket wss://agents.example.com/ws?a=1&b=2', action: `https://lb.example.org/api/voice/callback/${DOMAIN}?attempt=2`, method: 'POST', timeoutSeconds: null });
    expect(legOf(readCxml(dial(1, 20)))).toMatchObject({ verb: 'Dial', label: 'vapi +12125551001', timeoutSeconds: 20 });
    expect(legOf(readCxml(HANGUP))).toBeNull();
  });
});

describe('simulator: playing one call', () => {
  const call = () => newCall(DOMAIN, '+14155550123', '+12125550187', undefined, START);

  it('failover: a Dial not answered until its timeout, then a WebSocket agent answers; updates, callbacks and CDR as Cloudonix sends them', async () => {
    const service = fakeService([dial(1, 20), connect(2), HANGUP]);
    const script: CallScript = { legs: [{ outcome: 'no-answer', ringSeconds: 60 }, { outcome: 'completed', ringSeconds: 4 }], talkSeconds: 100 };
    const c = call();
    const report = await playCall({ call: c, script, send: service.send });

    expect(service.sent.map((r) => r.kind)).toEqual(['voice', 'session', 'session', 'action', 'session', 'session', 'session', 'action', 'session', 'cdr']);
    expect(sessionStatuses(service.sent)).toEqual(['processing', 'ringing', 'processing', 'ringing', 'connected', 'connected']);
    const callbacks = service.sent.filter((r): r is Extract<WebhookRequest, { kind: 'action' }> => r.kind === 'action');
    expect(callbacks.map((r) => [r.url.slice(-9), r.method, r.body.DialCallStatus, r.body.CallStatus])).toEqual([
      ['attempt=1', 'POST', 'no-answer', 'no-answer'],
      ['attempt=2', 'POST', 'completed', 'completed'],
    ]);
    expect(report.legs.map((l) => [l.verb, l.outcome])).toEqual([['Dial', 'no-answer'], ['Connect', 'completed']]);
    expect(report.answers.map((a) => [a.after, a.kind, a.followed])).toEqual([['voice', 'dial', true], ['callback', 'connect', true], ['callback', 'hangup', false]]);

    // 0.2 s setup, 20 s ringing (the Dial's timeout), 0.3 s to the next verb, 0.2 s setup, 4 s ringing, 100 s talk.
    const answeredAt = START + 200 + 20_000 + 300 + 200 + 4000;
    const endedAt = answeredAt + 100_000;
    expect(report).toMatchObject({ outcome: 'completed', answeredAt, endedAt, failures: 0 });
    const updates = service.sent.filter((r) => r.kind === 'session').map((r) => r.body);
    expect(new Set(updates.map((u) => u.eventId)).size).toBe(updates.length);
    for (const u of updates) expect(u).toMatchObject({ domain: DOMAIN, token: c.session, callerId: '14155550123', destination: '12125550187', callStartTime: START });
    expect(updates[4]).toMatchObject({ status: 'connected', callAnswerTime: answeredAt });
    expect(updates[4]).not.toHaveProperty('callEndTime');
    expect(updates[5]).toMatchObject({ callAnswerTime: answeredAt, callEndTime: endedAt, endTime: new Date(endedAt).toISOString() });
    expect(lastCdr(service.sent)).toMatchObject({
      disposition: 'ANSWER',
      duration: Math.round((endedAt - START) / 1000),
      billsec: 100,
      domain: DOMAIN,
      from: '+14155550123',
      to: '+12125550187',
      session: { token: c.session, callStartTime: START, callAnswerTime: answeredAt, callEndTime: endedAt },
    });
  });

  it('caller hang-up: the callback says canceled, the failover the service offers is not followed, the CDR says CANCEL', async () => {
    const service = fakeService([dial(1), dial(2)]);
    const report = await playCall({ call: call(), script: { legs: [{ outcome: 'canceled', ringSeconds: 7 }], talkSeconds: 60 }, send: service.send });
    expect(service.sent.map((r) => r.kind)).toEqual(['voice', 'session', 'session', 'action', 'session', 'cdr']);
    expect(service.sent[3]!.body).toMatchObject({ DialCallStatus: 'canceled', CallStatus: 'canceled' });
    expect(report.answers.at(-1)).toMatchObject({ kind: 'dial', followed: false });
    expect(sessionStatuses(service.sent).at(-1)).toBe('cancel');
    expect(lastCdr(service.sent)).toMatchObject({ disposition: 'CANCEL', duration: 7, billsec: 0, session: { callAnswerTime: null, callEndTime: START + 7200 } });
  });

  it('no answer on every attempt until the service hangs up: NOANSWER; busy ends as BUSY', async () => {
    const noAnswer = fakeService([dial(1), dial(2), dial(3), HANGUP]);
    const report = await playCall({ call: call(), script: scriptFor('no-answer', callRandom(1, 0)), send: noAnswer.send });
    expect(report.legs.map((l) => l.outcome)).toEqual(['no-answer', 'no-answer', 'no-answer']);
    expect(lastCdr(noAnswer.sent)).toMatchObject({ disposition: 'NOANSWER', billsec: 0 });

    const busy = fakeService([dial(1), HANGUP]);
    await playCall({ call: call(), script: scriptFor('busy', callRandom(1, 0)), send: busy.send });
    expect(busy.sent.find((r) => r.kind === 'action')!.body.DialCallStatus).toBe('busy');
    expect(lastCdr(busy.sent)).toMatchObject({ disposition: 'BUSY' });
  });

  it('a failed callback request is counted and ends the call as Cloudonix would (FAILED); voice-only sends one request', async () => {
    const service = fakeService([dial(1)], (r) => (r.kind === 'action' ? 500 : 200));
    const report = await playCall({ call: call(), script: scriptFor('failed', callRandom(1, 0)), send: service.send });
    expect(report.failures).toBe(1);
    expect(report.steps.find((s) => s.request.kind === 'action')!.error).toMatch(/^500/);
    expect(lastCdr(service.sent)).toMatchObject({ disposition: 'FAILED' });

    const only = fakeService([dial(1)]);
    const voiceOnly = await playCall({ call: call(), script: scriptFor('answered', callRandom(1, 0)), send: only.send, voiceOnly: true });
    expect(only.sent.map((r) => r.kind)).toEqual(['voice']);
    expect(voiceOnly.outcome).toBeNull();
  });

  it('a spoken message answers the call (as in TwiML): ANSWER for the seconds it takes', async () => {
    const service = fakeService([cxml('<Say>All agents are busy.</Say><Hangup/>')]);
    const report = await playCall({ call: call(), script: scriptFor('answered', callRandom(1, 0)), send: service.send });
    expect(report.legs).toEqual([]);
    expect(sessionStatuses(service.sent)).toEqual(['connected', 'connected']);
    expect(lastCdr(service.sent)).toMatchObject({ disposition: 'ANSWER', billsec: 3 });
  });
});

describe('simulator: the mix', () => {
  it('parses weights, refuses unknown scenarios and all-zero mixes', () => {
    expect(parseMix('answered=3, busy=1')).toEqual({ answered: 3, 'no-answer': 0, busy: 1, failover: 0, 'caller-hangup': 0, failed: 0 });
    expect(() => parseMix('answered=1,voicemail=2')).toThrow(/unknown scenario "voicemail"/);
    expect(() => parseMix('answered=-1')).toThrow(/weight/);
    expect(() => parseMix('answered=0')).toThrow(/above 0/);
  });

  it('plans exact shares of the mix (largest remainders), in an order the seed shuffles', () => {
    const plan = planScenarios(DEFAULT_MIX, 60, 7);
    const tally = (p: string[]) => Object.fromEntries([...new Set(p)].map((s) => [s, p.filter((x) => x === s).length]));
    expect(tally(plan)).toEqual({ answered: 36, 'no-answer': 6, busy: 5, failover: 6, 'caller-hangup': 4, failed: 3 });
    expect(planScenarios(DEFAULT_MIX, 60, 7)).toEqual(plan);
    expect(planScenarios(DEFAULT_MIX, 60, 8)).not.toEqual(plan);
    expect(planScenarios(DEFAULT_MIX, 1, 7)).toHaveLength(1);
    expect(new Set(planScenarios(parseMix('busy=1'), 50, 7))).toEqual(new Set(['busy']));
  });

  it('a call\'s script depends on the seed and its index, not on the order calls are played in', () => {
    const o = { target: { base: 'http://127.0.0.1', domain: DOMAIN, secret: undefined }, from: '+1', to: '+2', seed: 42 };
    const plan = planScenarios(DEFAULT_MIX, 200, 42);
    const played = (i: number) => {
      const { script, call } = scriptedCall(o, i, plan[i]!, START);
      return [script, call.startedAt];
    };
    const forward = plan.map((_, i) => played(i));
    const backward = plan.map((_, i) => played(199 - i)).reverse();
    expect(backward).toEqual(forward);
    expect(plan.map((s, i) => scriptedCall({ ...o, seed: 43 }, i, s, START).script)).not.toEqual(forward.map(([script]) => script));
  });
});
