import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/core/lifecycle/call-event.js';
import { foldCall, foldCallEvent } from '../../src/core/lifecycle/fold-call.js';
import { endOf } from '../../src/core/lifecycle/story-effects.js';
import { tellStory } from '../../src/core/lifecycle/tell-story.js';
import type { DialOutcome } from '../../src/core/routing/call-status.js';

const T0 = Date.UTC(2026, 0, 1, 10);
const dial = (step: number, attempt: number, agentId: number): CallEvent => ({ kind: 'answer', step, at: T0 + step, act: 'dial', attempt, agentId, fallback: null });
const hangup = (step: number): CallEvent => ({ kind: 'answer', step, at: T0 + step, act: 'end', fallback: null });
const result = (attempt: number, outcome: DialOutcome): CallEvent => ({ kind: 'dial_result', attempt, outcome });
const sessionEnd: CallEvent = { kind: 'session', status: 'connected', startedAt: T0, answeredAt: null, endedAt: T0 + 60_000 };
const cdr = (disposition: string): CallEvent => ({ kind: 'cdr', disposition, billsec: disposition === 'ANSWER' ? 30 : 0, durationSeconds: 40, startedAt: T0, answeredAt: null, endedAt: T0 + 60_000 });

/** A call's webhooks: one or two agents dialled, their results, our hangup, and maybe a final session update and a CDR. */
const call = fc
  .record({
    outcomes: fc.array(fc.constantFrom<DialOutcome>('answered', 'no_answer', 'busy', 'failed'), { minLength: 1, maxLength: 2 }),
    ended: fc.boolean(),
    withSessionEnd: fc.boolean(),
    withCdr: fc.constantFrom(null, 'ANSWER', 'NO ANSWER', 'BUSY'),
  })
  .map(({ outcomes, ended, withSessionEnd, withCdr }) => {
    const events: CallEvent[] = [];
    outcomes.forEach((o, i) => events.push(dial(i, i + 1, 10 + i), result(i + 1, o)));
    if (ended) events.push(hangup(outcomes.length));
    if (withSessionEnd) events.push(sessionEnd);
    if (withCdr) events.push(cdr(withCdr));
    return events;
  });

/** Delivered in any order, some more than once. */
const delivered = (events: CallEvent[]) =>
  fc.tuple(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.array(fc.nat(events.length - 1), { maxLength: 4 })).map(([order, again]) => [...order, ...again.map((i) => events[i]!)]);

describe('the end of a call, counted once', () => {
  it('exactly one write ends a call that ends, none one that does not, whatever the order and repeats', () => {
    fc.assert(
      fc.property(
        call.chain((events) => delivered(events)),
        (writes) => {
          let facts = foldCall([]);
          let before = null as ReturnType<typeof tellStory> | null;
          const ends = [];
          for (const event of writes) {
            facts = foldCallEvent(facts, event);
            const after = tellStory(facts);
            const end = endOf(before, after);
            if (end) ends.push(end);
            before = after;
          }
          expect(ends.length).toBe(before?.ended ? 1 : 0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('names the outcome and the agent of the story at its end; a new call that ends at once counts too', () => {
    const answered = tellStory(foldCall([dial(0, 1, 11), result(1, 'no_answer'), dial(1, 2, 12), result(2, 'answered'), hangup(2)]));
    expect(endOf(tellStory(foldCall([dial(0, 1, 11)])), answered)).toEqual({ outcome: 'answered', agentId: 12 });
    const noRule = tellStory(foldCall([{ kind: 'answer', step: 0, at: T0, act: 'end', fallback: 'no_rule' }]));
    expect(endOf(null, noRule)).toEqual({ outcome: 'no_rule', agentId: null });
    expect(endOf(noRule, tellStory(foldCall([{ kind: 'answer', step: 0, at: T0, act: 'end', fallback: 'no_rule' }, cdr('NO ANSWER')])))).toBeNull();
  });
});
