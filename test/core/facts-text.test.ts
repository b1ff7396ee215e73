import { describe, expect, it } from 'vitest';
import { NO_FACTS, type CallEvent, type CallFacts } from '../../src/core/lifecycle/call-event.js';
import { factsText } from '../../src/core/lifecycle/facts-text.js';
import { foldCall } from '../../src/core/lifecycle/fold-call.js';

const AT = 1_796_000_000_000;
const dial = (step: number, agentId: number | null): CallEvent => ({ kind: 'answer', step, at: AT + step, act: 'dial', attempt: step + 1, agentId, fallback: null });
const events: Record<string, CallEvent[]> = {
  'no events': [],
  'one dial': [dial(0, 7)],
  'an end with a fallback': [{ kind: 'answer', step: 0, at: AT, act: 'end', fallback: 'no_rule' }],
  'two answers': [dial(0, 7), dial(1, 8)],
  'a dial result': [dial(0, 7), { kind: 'dial_result', attempt: 1, outcome: 'busy' }],
  'a session update': [dial(0, 7), { kind: 'session', status: 'ringing', startedAt: AT, answeredAt: null, endedAt: null }],
  'a CDR': [dial(0, 7), { kind: 'cdr', disposition: 'ANSWER', billsec: 3, durationSeconds: 5, startedAt: AT, answeredAt: AT, endedAt: AT + 5000 }],
  expired: [dial(0, 7), { kind: 'expired', at: AT }],
  closed: [dial(0, 7), { kind: 'closed', at: AT }],
  'a hand-off': [dial(0, 7), { kind: 'handoff', seq: 1, at: AT, agentId: 9, groupId: null, by: 1 }],
};

describe("a call's facts as text", () => {
  for (const [name, list] of Object.entries(events)) {
    it(`${name}: exactly JSON.stringify, folded or read back`, () => {
      const facts = foldCall(list);
      expect(factsText(facts)).toBe(JSON.stringify(facts));
      const read = JSON.parse(JSON.stringify(facts)) as CallFacts;
      expect(factsText(read)).toBe(JSON.stringify(read));
    });
  }

  it('keeps the order of members given in another order, and facts from before closedAt', () => {
    const { answers, ...rest } = foldCall([dial(0, 7)]);
    const reordered = { ...rest, answers } as CallFacts;
    expect(factsText(reordered)).toBe(JSON.stringify(reordered));
    const { closedAt: _closedAt, ...old } = foldCall([dial(0, 7)]);
    expect(factsText(old)).toBe(JSON.stringify(old));
    const extra = { ...foldCall([dial(0, 7)]), handoffs: {} };
    expect(factsText(extra)).toBe(JSON.stringify(extra));
    expect(factsText(NO_FACTS)).toBe(JSON.stringify(NO_FACTS));
  });
});
