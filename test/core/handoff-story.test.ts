import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/core/lifecycle/call-event.js';
import { foldCall, foldCallEvent } from '../../src/core/lifecycle/fold-call.js';
import { nextStepAfterDial } from '../../src/core/lifecycle/next-step.js';
import { endOf, repeatEffects, storyEffects } from '../../src/core/lifecycle/story-effects.js';
import { tellStory } from '../../src/core/lifecycle/tell-story.js';

const T0 = Date.UTC(2026, 0, 1, 10);
const story = (events: readonly CallEvent[]) => tellStory(foldCall(events));
const dial = (step: number, attempt: number, agentId: number | null): CallEvent => ({ kind: 'answer', step, at: T0 + step * 1000, act: 'dial', attempt, agentId, fallback: null });
const answered = (attempt: number): CallEvent => ({ kind: 'dial_result', attempt, outcome: 'answered' });
const connected: CallEvent = { kind: 'session', status: 'connected', startedAt: T0, answeredAt: T0 + 2000, endedAt: null };
const handoff = (seq: number, agentId: number | null, by = 7, groupId: number | null = null): CallEvent => ({ kind: 'handoff', seq, at: T0 + 60_000 * seq, agentId, groupId, by });
const cdr = (billsec: number): CallEvent => ({ kind: 'cdr', disposition: 'ANSWER', billsec, durationSeconds: billsec + 2, startedAt: T0, answeredAt: T0 + 2000, endedAt: T0 + 2000 + billsec * 1000 });

describe('a hand-off in the call story', () => {
  it('says who took over: the agent handed to has the call, the old agent is released and the new one held', () => {
    const before = story([dial(0, 1, 11), connected]);
    expect(before.agentId).toBe(11);
    const after = story([dial(0, 1, 11), connected, handoff(1, 12)]);
    expect(after).toMatchObject({ agentId: 12, answeringAgentId: 11, status: 'connected', ended: false, handoffs: [{ seq: 1, agentId: 12, by: 7 }] });
    // Nobody is judged or credited for a hand-off; the first agent's slot goes.
    expect(storyEffects(before, after)).toEqual({ release: [11], faults: [], credit: null });
  });

  it('a second hand-off moves the call again; handed to a number, no agent holds it', () => {
    const once = story([dial(0, 1, 11), connected, handoff(1, 12)]);
    const twice = story([dial(0, 1, 11), connected, handoff(1, 12), handoff(2, 13, 8, 5)]);
    expect(twice.agentId).toBe(13);
    expect(storyEffects(once, twice).release).toEqual([12]);
    const toNumber = story([dial(0, 1, 11), connected, handoff(1, 12), handoff(2, 13), handoff(3, null)]);
    expect(toNumber.agentId).toBeNull();
    expect(storyEffects(twice, toNumber).release).toEqual([13]);
  });

  it('the end of a handed-off call frees every agent it was sent to, and is counted once, for the agent that took over', () => {
    const live = story([dial(0, 1, 11), connected, answered(1), handoff(1, 12)]);
    const ended = story([dial(0, 1, 11), connected, answered(1), handoff(1, 12), cdr(90)]);
    expect(ended).toMatchObject({ ended: true, status: 'completed', reason: 'answered', agentId: 12, billsec: 90 });
    expect(storyEffects(live, ended).release).toEqual([11, 12]);
    expect(endOf(live, ended)).toEqual({ outcome: 'answered', agentId: 12 });
    expect(repeatEffects(ended).release).toEqual([11, 12]);
  });

  it('a hand-off learned after the end (a late write) still frees its agent', () => {
    const ended = story([dial(0, 1, 11), connected, cdr(30)]);
    const late = story([dial(0, 1, 11), connected, cdr(30), handoff(1, 12)]);
    expect(storyEffects(ended, late).release).toEqual([11, 12]);
  });

  it('after a hand-off a Dial callback of the routing before it tries nobody else', () => {
    const base = { outcome: 'no_answer' as const, callEnded: false, routed: true, outbound: false, failoverOnBusy: false };
    expect(nextStepAfterDial(base)).toEqual({ kind: 'try_next' });
    expect(nextStepAfterDial({ ...base, handedOff: true })).toEqual({ kind: 'hangup', why: 'handed_off' });
    expect(nextStepAfterDial({ ...base, callEnded: true, handedOff: true })).toEqual({ kind: 'hangup', why: 'call_over' });
  });

  it('two admins handing off at once: both are told, and the later one has the call (its slot held, the other released)', () => {
    const a: CallEvent = { kind: 'handoff', seq: 1, at: T0 + 60_000, agentId: 12, groupId: null, by: 7 };
    const b: CallEvent = { kind: 'handoff', seq: 1, at: T0 + 60_050, agentId: 13, groupId: null, by: 8 };
    const onlyA = story([dial(0, 1, 11), connected, a]);
    const both = story([dial(0, 1, 11), connected, b, a]);
    expect(both.handoffs.map((h) => h.agentId)).toEqual([12, 13]);
    expect(both.agentId).toBe(13);
    expect(storyEffects(onlyA, both).release).toEqual([12]);
  });

  it('facts stored before hand-offs existed read as none', () => {
    const { handoffs: _none, ...old } = foldCall([dial(0, 1, 11), connected]);
    expect(tellStory(old)).toMatchObject({ agentId: 11, handoffs: [] });
  });
});

describe('laws of the fold with hand-offs', () => {
  const anyEvent: fc.Arbitrary<CallEvent> = fc.oneof(
    fc.record({ step: fc.integer({ min: 0, max: 2 }), agentId: fc.integer({ min: 1, max: 4 }) }).map((r) => dial(r.step, r.step + 1, r.agentId)),
    fc.integer({ min: 1, max: 3 }).map(answered),
    fc.record({ seq: fc.integer({ min: 1, max: 3 }), agentId: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }), by: fc.integer({ min: 1, max: 3 }) }).map((r) => handoff(r.seq, r.agentId, r.by)),
    fc.constant(connected),
    fc.nat(300).map(cdr),
  );

  it('adding a hand-off is idempotent and commutative, and any order tells the same story', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 8 }), anyEvent, anyEvent, (prefix, a, b) => {
        const facts = foldCall(prefix);
        expect(foldCallEvent(foldCallEvent(facts, a), a)).toEqual(foldCallEvent(facts, a));
        expect(foldCallEvent(foldCallEvent(facts, a), b)).toEqual(foldCallEvent(foldCallEvent(facts, b), a));
        expect(tellStory(foldCall([...prefix].reverse()))).toEqual(tellStory(facts));
      }),
      { numRuns: 400 },
    );
  });
});
