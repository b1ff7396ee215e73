import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/core/lifecycle/call-event.js';
import { foldCall } from '../../src/core/lifecycle/fold-call.js';
import { answeredEndOf, isShortAnswer, shortCallVerdict, type ShortCallPolicy } from '../../src/core/lifecycle/short-calls.js';
import { tellStory } from '../../src/core/lifecycle/tell-story.js';

const T0 = Date.UTC(2026, 0, 1, 10);
const dial = (step: number, attempt: number, agentId: number | null): CallEvent => ({ kind: 'answer', step, at: T0 + step * 1000, act: 'dial', attempt, agentId, fallback: null });
const result = (attempt: number, outcome: 'answered' | 'no_answer'): CallEvent => ({ kind: 'dial_result', attempt, outcome });
const session = (status: string, times: { answeredAt?: number; endedAt?: number } = {}): CallEvent => ({ kind: 'session', status, startedAt: T0, answeredAt: times.answeredAt ?? null, endedAt: times.endedAt ?? null });
const cdr = (disposition: string, billsec: number): CallEvent => ({ kind: 'cdr', disposition, billsec, durationSeconds: billsec + 5, startedAt: T0, answeredAt: billsec > 0 ? T0 + 5000 : null, endedAt: T0 + 5000 + billsec * 1000 });

/** The answered ends each event of a sequence reveals, in order (what the live state is told). */
function endsAlong(events: readonly CallEvent[]) {
  const out = [];
  let before = null;
  for (let i = 1; i <= events.length; i++) {
    const after = tellStory(foldCall(events.slice(0, i)));
    const end = answeredEndOf(before, after);
    if (end) out.push({ at: i - 1, ...end });
    before = after;
  }
  return out;
}

const policy: ShortCallPolicy = { short_calls_enabled: true, short_call_seconds: 5, short_call_min_calls: 5, short_call_window_minutes: 10, short_call_share: 0.6 };

describe('answered and short, from a call story', () => {
  it('an answered call is counted once, when its end and billsec are first known, by the agent that answered', () => {
    const events = [dial(0, 1, 11), result(1, 'no_answer'), dial(1, 2, 12), session('connected', { answeredAt: T0 + 5000 }), result(2, 'answered'), session('completed', { answeredAt: T0 + 5000, endedAt: T0 + 8000 }), cdr('ANSWER', 3), cdr('ANSWER', 3)];
    expect(endsAlong(events)).toEqual([{ at: 5, agentId: 12, billsec: 3 }]);
  });

  it('with only a CDR, the CDR says it; a later correction of billsec does not count the call again', () => {
    expect(endsAlong([dial(0, 1, 11), result(1, 'answered'), cdr('ANSWER', 2), cdr('ANSWER', 40)])).toEqual([{ at: 2, agentId: 11, billsec: 2 }]);
  });

  it('calls nobody answered, calls still live, and numbers dialled (no agent) are never counted', () => {
    expect(endsAlong([dial(0, 1, 11), result(1, 'no_answer'), cdr('NOANSWER', 0)])).toEqual([]);
    expect(endsAlong([dial(0, 1, 11), result(1, 'answered'), session('connected', { answeredAt: T0 + 1000 })])).toEqual([]);
    expect(endsAlong([dial(0, 1, null), result(1, 'answered'), cdr('ANSWER', 1)])).toEqual([]);
  });

  it('short means billed under the threshold', () => {
    expect(isShortAnswer({ agentId: 1, billsec: 4 }, policy)).toBe(true);
    expect(isShortAnswer({ agentId: 1, billsec: 5 }, policy)).toBe(false);
    expect(isShortAnswer({ agentId: 1, billsec: 0 }, policy)).toBe(true);
  });
});

describe('the short-call verdict', () => {
  it('out when enough answered calls ended and the share of short ones reaches the threshold', () => {
    expect(shortCallVerdict({ answered: 9, short: 7 }, policy)).toEqual({ kind: 'out', short: 7, answered: 9 });
    expect(shortCallVerdict({ answered: 5, short: 3 }, policy)).toEqual({ kind: 'out', short: 3, answered: 5 });
    expect(shortCallVerdict({ answered: 10, short: 6 }, policy)).toEqual({ kind: 'out', short: 6, answered: 10 });
  });

  it('fine below the share, below the minimum of calls (a lone short call), or when the feature is off', () => {
    expect(shortCallVerdict({ answered: 10, short: 5 }, policy)).toEqual({ kind: 'fine' });
    expect(shortCallVerdict({ answered: 1, short: 1 }, policy)).toEqual({ kind: 'fine' });
    expect(shortCallVerdict({ answered: 4, short: 4 }, policy)).toEqual({ kind: 'fine' });
    expect(shortCallVerdict({ answered: 0, short: 0 }, policy)).toEqual({ kind: 'fine' });
    expect(shortCallVerdict({ answered: 9, short: 9 }, { ...policy, short_calls_enabled: false })).toEqual({ kind: 'fine' });
  });

  it('a share of 1 needs every call short; counts read across a bucket edge never exceed 100%', () => {
    expect(shortCallVerdict({ answered: 6, short: 5 }, { ...policy, short_call_share: 1 })).toEqual({ kind: 'fine' });
    expect(shortCallVerdict({ answered: 6, short: 6 }, { ...policy, short_call_share: 1 })).toEqual({ kind: 'out', short: 6, answered: 6 });
    expect(shortCallVerdict({ answered: 4, short: 5 }, policy)).toEqual({ kind: 'out', short: 5, answered: 5 });
  });

  it('never changes its inputs', () => {
    const counts = Object.freeze({ answered: 9, short: 7 });
    expect(() => shortCallVerdict(counts, Object.freeze({ ...policy }))).not.toThrow();
  });
});
