import { describe, expect, it } from 'vitest';
import { NO_FACTS, type CallEvent, type FallbackReason } from '../../src/core/lifecycle/call-event.js';
import { foldCall } from '../../src/core/lifecycle/fold-call.js';
import { firstTimeline, withFirstTimeline } from '../../src/core/lifecycle/first-timeline.js';
import { firstRowsOf } from '../../src/store/migrations/0019-first-answer-on-row.js';

const T0 = Date.UTC(2026, 11, 7, 4);
const payload = { rule: { id: 3, kind: 'inbound', name: 'Main', pattern: '+1212555????' }, target: { type: 'group', id: 2 }, agent_id: 7, attempt: 1, fallback: null };
const answer = (over: Partial<Extract<CallEvent, { kind: 'answer' }>> & ({ act: 'dial'; attempt: number; agentId: number | null } | { act: 'end' })): CallEvent =>
  ({ kind: 'answer', step: 0, at: T0, fallback: null, ...over }) as CallEvent;

describe('the timeline a routed call first write implies', () => {
  it('is call.received then call.connecting at the first write, with the answer payload as written', () => {
    const facts = foldCall([answer({ act: 'dial', attempt: 1, agentId: 7 })]);
    expect(firstTimeline({ createdAt: T0, facts, answerPayload: payload })).toEqual([
      { event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: T0 },
      { event_type: 'call.connecting', from_status: 'received', to_status: 'connecting', payload, occurred_at: T0 },
    ]);
  });

  it('an answer that reaches nobody is call.unrouted: no_answer without a fallback, fallback with one', () => {
    const entry = (fallback: FallbackReason | null) => firstTimeline({ createdAt: T0, facts: foldCall([answer({ act: 'end', fallback })]), answerPayload: {} })[1];
    expect(entry(null)).toMatchObject({ event_type: 'call.unrouted', to_status: 'no_answer' });
    expect(entry('no_rule')).toMatchObject({ event_type: 'call.unrouted', to_status: 'fallback' });
  });

  it('later facts do not change it: the step-0 answer and the first instant tell it', () => {
    const later: CallEvent[] = [
      { kind: 'dial_result', attempt: 1, outcome: 'no_answer' },
      answer({ step: 1, act: 'dial', attempt: 2, agentId: 8 }),
      { kind: 'cdr', disposition: 'ANSWER', billsec: 30, durationSeconds: 31, startedAt: T0, answeredAt: T0 + 1000, endedAt: T0 + 31_000 },
    ];
    const first = foldCall([answer({ act: 'dial', attempt: 1, agentId: 7 })]);
    expect(firstTimeline({ createdAt: T0, facts: foldCall(later, first), answerPayload: payload })).toEqual(firstTimeline({ createdAt: T0, facts: first, answerPayload: payload }));
  });

  it('is empty for facts without a step-0 answer', () => {
    expect(firstTimeline({ createdAt: T0, facts: NO_FACTS, answerPayload: payload })).toEqual([]);
  });

  it('goes where its rows sorted: after earlier stored entries, before those of the same or a later instant', () => {
    const e = (id: number, at: number) => ({ id, occurred_at: at });
    expect(withFirstTimeline([e(5, T0 - 1), e(6, T0), e(7, T0 + 5)], [e(-1, T0), e(-2, T0)]).map((x) => x.id)).toEqual([5, -1, -2, 6, 7]);
    expect(withFirstTimeline([e(5, T0 - 1)], [e(-1, T0)]).map((x) => x.id)).toEqual([5, -1]);
    expect(withFirstTimeline([e(5, T0)], []).map((x) => x.id)).toEqual([5]);
  });

  it("migration 0019's down() writes back exactly these entries as rows, for every kind of first answer", () => {
    const fallbacks: (FallbackReason | null)[] = [null, 'no_rule', 'no_candidate', 'attempts_exhausted', 'target_missing', 'error'];
    for (const fallback of fallbacks) {
      for (const ev of [answer({ act: 'dial', attempt: 1, agentId: 7, fallback }), answer({ act: 'dial', attempt: 1, agentId: null, fallback }), answer({ act: 'end', fallback })]) {
        const facts = foldCall([ev]);
        const derived = firstTimeline({ createdAt: T0, facts, answerPayload: payload }).map((x) => ({ ...x, payload: x.payload === null ? null : JSON.stringify(x.payload) }));
        expect(firstRowsOf({ id: 1, tenant_id: 1, created_at: String(T0), facts: JSON.stringify(facts), first_answer: JSON.stringify(payload) })).toEqual(derived);
        expect(firstRowsOf({ id: 1, tenant_id: 1, created_at: T0, facts, first_answer: payload })).toEqual(derived);
      }
    }
  });
});
