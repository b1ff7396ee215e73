import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/core/lifecycle/call-event.js';
import { foldCall, foldCallEvent } from '../../src/core/lifecycle/fold-call.js';
import { healthVerdict, nextStepAfterDial } from '../../src/core/lifecycle/next-step.js';
import { repeatEffects, storyEffects } from '../../src/core/lifecycle/story-effects.js';
import { tellStory } from '../../src/core/lifecycle/tell-story.js';
import type { DialOutcome } from '../../src/core/routing/call-status.js';

const T0 = Date.UTC(2026, 0, 1, 10);
const story = (events: readonly CallEvent[]) => tellStory(foldCall(events));

const dial = (step: number, attempt: number, agentId: number | null, at = T0 + step * 1000, fallback: 'no_candidate' | 'attempts_exhausted' | null = null): CallEvent => ({
  kind: 'answer',
  step,
  at,
  act: 'dial',
  attempt,
  agentId,
  fallback,
});
const end = (step: number, fallback: 'no_rule' | 'no_candidate' | 'attempts_exhausted' | null = null, at = T0 + step * 1000): CallEvent => ({ kind: 'answer', step, at, act: 'end', fallback });
const result = (attempt: number, outcome: DialOutcome): CallEvent => ({ kind: 'dial_result', attempt, outcome });
const session = (status: string | null, times: { startedAt?: number; answeredAt?: number; endedAt?: number } = {}): CallEvent => ({
  kind: 'session',
  status,
  startedAt: times.startedAt ?? null,
  answeredAt: times.answeredAt ?? null,
  endedAt: times.endedAt ?? null,
});
const cdr = (disposition: string | null, billsec: number | null, times: { answeredAt?: number; endedAt?: number; duration?: number } = {}): CallEvent => ({
  kind: 'cdr',
  disposition,
  billsec,
  durationSeconds: times.duration ?? null,
  startedAt: T0,
  answeredAt: times.answeredAt ?? null,
  endedAt: times.endedAt ?? null,
});

describe('a call story from real sequences', () => {
  it('first leg fails, second answers: the second agent answered, billsec from the CDR', () => {
    const s = story([
      dial(0, 1, 11),
      session('processing', { startedAt: T0 }),
      session('ringing'),
      result(1, 'no_answer'),
      dial(1, 2, 12),
      session('ringing'),
      session('connected', { answeredAt: T0 + 35_000 }),
      result(2, 'answered'),
      end(2),
      session('connected', { endedAt: T0 + 90_000 }),
      cdr('ANSWER', 55, { answeredAt: T0 + 35_000, endedAt: T0 + 90_000, duration: 90 }),
    ]);
    expect(s).toMatchObject({ status: 'completed', reason: 'answered', answered: true, agentId: 12, answeringAgentId: 12, billsec: 55, durationSeconds: 90, answeredAt: T0 + 35_000, endedAt: T0 + 90_000 });
    expect(s.attempts.map((a) => [a.agentId, a.outcome])).toEqual([[11, 'no_answer'], [12, 'answered']]);
  });

  it('a failure update, then connected, then a CDR ANSWER: answered, not no_answer', () => {
    const events = [dial(0, 1, 11), session('noanswer'), session('connected', { answeredAt: T0 + 5000 })];
    expect(story(events)).toMatchObject({ status: 'connected', ended: false });
    expect(story([...events, cdr('ANSWER', 55)])).toMatchObject({ status: 'completed', reason: 'answered', billsec: 55, agentId: 11 });
  });

  it('a failure update alone never ends a call', () => {
    expect(story([dial(0, 1, 11), session('busy')])).toMatchObject({ status: 'connecting', ended: false, reason: null });
  });

  it('an unknown disposition resolves from billsec and the answer time', () => {
    expect(story([dial(0, 1, 11), cdr('CHANUNAVAIL', 0)])).toMatchObject({ status: 'failed', reason: 'agent_failed', answered: false, disposition: 'unknown' });
    expect(story([dial(0, 1, 11), cdr('CHANUNAVAIL', 12)])).toMatchObject({ status: 'completed', reason: 'answered', billsec: 12 });
    expect(story([dial(0, 1, 11), cdr('SOMETHING', null, { answeredAt: T0 + 1000, endedAt: T0 + 9000 })])).toMatchObject({ status: 'completed', billsec: 8 });
  });

  it('the CDR corrects an end told before it', () => {
    const before = [dial(0, 1, 11), session('noanswer', { endedAt: T0 + 30_000 })];
    expect(story(before)).toMatchObject({ status: 'no_answer', reason: 'no_answer' });
    expect(story([...before, cdr('ANSWERED', 20)])).toMatchObject({ status: 'completed', reason: 'answered', billsec: 20 });
  });

  it('a caller hanging up while it rings is caller_hung_up, and nobody is blamed', () => {
    const s = story([dial(0, 1, 11), result(1, 'canceled'), end(1), cdr('CANCEL', 0)]);
    expect(s).toMatchObject({ status: 'no_answer', reason: 'caller_hung_up' });
    expect(healthVerdict('canceled')).toBe('none');
    expect(storyEffects(story([dial(0, 1, 11)]), s)).toEqual({ release: [11], faults: [], credit: null });
  });

  it('busy is busy, and not the agent fault', () => {
    expect(story([dial(0, 1, 11), result(1, 'busy'), end(1)])).toMatchObject({ status: 'busy', reason: 'busy' });
    expect(healthVerdict('busy')).toBe('none');
  });

  it('no rule: the fallback message answered the call, yet no agent did', () => {
    const s = story([end(0, 'no_rule'), cdr('ANSWER', 6)]);
    expect(s).toMatchObject({ status: 'fallback', reason: 'no_rule', answered: false, agentId: null });
  });

  it('every agent full: overflow to the fallback; a fallback number that answers is completed, still overflow', () => {
    expect(story([end(0, 'no_candidate')])).toMatchObject({ status: 'fallback', reason: 'overflow_fallback' });
    const number = story([dial(0, 1, null, T0, 'no_candidate'), session('connected', { answeredAt: T0 + 2000, endedAt: T0 + 60_000 })]);
    expect(number).toMatchObject({ status: 'completed', reason: 'overflow_fallback', agentId: null });
  });

  it('attempts exhausted, then a message: the last agent outcome is the reason', () => {
    const s = story([dial(0, 1, 11), result(1, 'no_answer'), dial(1, 2, 12), result(2, 'failed'), end(2, 'attempts_exhausted'), cdr('ANSWER', 4)]);
    expect(s).toMatchObject({ status: 'failed', reason: 'agent_failed', answered: false, agentId: 12 });
  });

  it('a call whose end never comes is closed as unknown_end', () => {
    expect(story([dial(0, 1, 11), { kind: 'expired', at: T0 + 7_200_000 }])).toMatchObject({ status: 'failed', reason: 'unknown_end', endedAt: T0 + 7_200_000 });
    const answered = story([dial(0, 1, 11), session('connected', { answeredAt: T0 + 3000 }), { kind: 'expired', at: T0 + 7_200_000 }]);
    expect(answered).toMatchObject({ status: 'completed', reason: 'unknown_end', answeringAgentId: 11 });
  });

  it('an admin ends a stale call: ended_by_admin, its slot released; a later real end corrects it, in any order', () => {
    const closed: CallEvent = { kind: 'closed', at: T0 + 60_000 };
    const s = story([dial(0, 1, 11), closed]);
    expect(s).toMatchObject({ status: 'failed', reason: 'ended_by_admin', ended: true, endedAt: T0 + 60_000, agentId: 11 });
    expect(storyEffects(story([dial(0, 1, 11)]), s).release).toEqual([11]);
    // The earlier of the admin's close and the sweeper's expiry names the end.
    expect(story([dial(0, 1, 11), { kind: 'expired', at: T0 + 7_200_000 }, closed]).reason).toBe('ended_by_admin');
    expect(story([dial(0, 1, 11), closed, { kind: 'expired', at: T0 + 30_000 }]).reason).toBe('unknown_end');
    // The CDR is the final authority, whenever it comes.
    const events = [dial(0, 1, 11), closed, cdr('ANSWER', 50, { answeredAt: T0 + 2000, endedAt: T0 + 52_000 })];
    expect(story(events)).toMatchObject({ status: 'completed', reason: 'answered' });
    expect(story([...events].reverse())).toEqual(story(events));
  });

  it('processing after ringing does not move the call back', () => {
    expect(story([dial(0, 1, 11), session('ringing'), session('processing')]).status).toBe('connecting');
    expect(story([session('processing')]).status).toBe('routing');
    expect(story([session('external')]).status).toBe('received');
  });

  it('interim Dial statuses are no answer: the next candidate is tried and nobody is judged', () => {
    expect(nextStepAfterDial({ outcome: 'in_progress', callEnded: false, routed: true, outbound: false, failoverOnBusy: false })).toEqual({ kind: 'try_next' });
    expect(healthVerdict('in_progress')).toBe('none');
    expect(story([dial(0, 1, 11), result(1, 'in_progress')]).answered).toBe(false);
  });

  it('the next step after a Dial result', () => {
    const base = { callEnded: false, routed: true, outbound: false, failoverOnBusy: false } as const;
    expect(nextStepAfterDial({ ...base, outcome: 'answered' })).toEqual({ kind: 'hangup', why: 'answered' });
    expect(nextStepAfterDial({ ...base, outcome: 'canceled' })).toEqual({ kind: 'hangup', why: 'caller_gone' });
    expect(nextStepAfterDial({ ...base, outcome: 'busy' })).toEqual({ kind: 'hangup', why: 'declined' });
    expect(nextStepAfterDial({ ...base, outcome: 'busy', failoverOnBusy: true })).toEqual({ kind: 'try_next' });
    expect(nextStepAfterDial({ ...base, outcome: 'no_answer', callEnded: true })).toEqual({ kind: 'hangup', why: 'call_over' });
    expect(nextStepAfterDial({ ...base, outcome: 'no_answer', outbound: true })).toEqual({ kind: 'hangup', why: 'outbound_done' });
    expect(nextStepAfterDial({ ...base, outcome: 'failed', routed: false })).toEqual({ kind: 'hangup', why: 'unknown_call' });
  });

  it('effects: a failed attempt frees its slot and counts once against its agent; the answer credits the next', () => {
    const a = story([dial(0, 1, 11)]);
    const b = story([dial(0, 1, 11), result(1, 'no_answer'), dial(1, 2, 12)]);
    expect(storyEffects(a, b)).toEqual({ release: [11], faults: [11], credit: null });
    const c = story([dial(0, 1, 11), result(1, 'no_answer'), dial(1, 2, 12), session('connected', { answeredAt: T0 + 9000 })]);
    expect(storyEffects(b, c)).toEqual({ release: [], faults: [], credit: 12 });
    // The same event again changes nothing.
    expect(storyEffects(c, c)).toEqual({ release: [], faults: [], credit: null });
    const d = story([dial(0, 1, 11), result(1, 'no_answer'), dial(1, 2, 12), session('connected', { answeredAt: T0 + 9000 }), cdr('ANSWER', 30)]);
    expect(storyEffects(c, d)).toEqual({ release: [11, 12], faults: [], credit: null });
  });

  it('a redelivered event of an ended call frees every agent it dialled (its first commit may have gone through unheard); of a live call, nothing', () => {
    const live = story([dial(0, 1, 11), result(1, 'no_answer'), dial(1, 2, 12), session('connected', { answeredAt: T0 + 9000 })]);
    expect(repeatEffects(live)).toEqual({ release: [], faults: [], credit: null });
    const ended = story([dial(0, 1, 11), result(1, 'no_answer'), dial(1, 2, 11), dial(2, 3, 12), session('connected', { answeredAt: T0 + 9000 }), cdr('ANSWER', 30)]);
    expect(repeatEffects(ended)).toEqual({ release: [11, 12], faults: [], credit: null });
    expect(repeatEffects(story([end(0, 'no_rule'), cdr('NOANSWER', 0)]))).toEqual({ release: [], faults: [], credit: null });
  });

  it('never mutates the facts it is given', () => {
    const facts = foldCall([dial(0, 1, 11), session('ringing')]);
    const copy = structuredClone(facts);
    foldCallEvent(facts, session('connected', { answeredAt: T0 }));
    foldCallEvent(facts, cdr('ANSWER', 3));
    expect(facts).toEqual(copy);
  });
});

const outcomes: DialOutcome[] = ['answered', 'busy', 'canceled', 'no_answer', 'failed', 'unknown', 'in_progress'];
const time = fc.option(fc.integer({ min: T0, max: T0 + 3_600_000 }), { nil: null });
const anyEvent: fc.Arbitrary<CallEvent> = fc.oneof(
  fc.record({ step: fc.integer({ min: 0, max: 3 }), attempt: fc.integer({ min: 1, max: 3 }), agentId: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }), at: fc.integer({ min: T0, max: T0 + 60_000 }) }).map((r) => dial(r.step, r.attempt, r.agentId, r.at)),
  fc.record({ step: fc.integer({ min: 0, max: 3 }), fallback: fc.constantFrom(null, 'no_rule' as const, 'no_candidate' as const, 'attempts_exhausted' as const) }).map((r) => end(r.step, r.fallback)),
  fc.record({ attempt: fc.integer({ min: 1, max: 3 }), outcome: fc.constantFrom(...outcomes) }).map((r) => result(r.attempt, r.outcome)),
  fc.record({ status: fc.constantFrom('processing', 'ringing', 'connected', 'noanswer', 'busy', 'cancel', 'failed', 'external', null), startedAt: time, answeredAt: time, endedAt: time }).map(
    (r): CallEvent => ({ kind: 'session', ...r }),
  ),
  fc.record({ disposition: fc.constantFrom('ANSWER', 'NO ANSWER', 'BUSY', 'CANCEL', 'FAILED', 'CHANUNAVAIL', null), billsec: fc.option(fc.nat(600), { nil: null }), answeredAt: time, endedAt: time }).map((r) =>
    cdr(r.disposition, r.billsec, { ...(r.answeredAt === null ? {} : { answeredAt: r.answeredAt }), ...(r.endedAt === null ? {} : { endedAt: r.endedAt }) }),
  ),
  fc.integer({ min: T0, max: T0 + 9_000_000 }).map((at): CallEvent => ({ kind: 'expired', at })),
);

/** A call as Cloudonix plays it: attempts that fail, then a last one with any outcome, the session updates and maybe a CDR. */
const realisticCall = fc
  .record({
    failures: fc.array(fc.constantFrom<DialOutcome>('no_answer', 'failed', 'unknown'), { maxLength: 2 }),
    last: fc.constantFrom<DialOutcome>('answered', 'no_answer', 'busy', 'canceled', 'failed'),
    withCdr: fc.boolean(),
    withSessionEnd: fc.boolean(),
    talk: fc.integer({ min: 1, max: 600 }),
  })
  .map(({ failures, last, withCdr, withSessionEnd, talk }) => {
    const events: CallEvent[] = [session('processing', { startedAt: T0 })];
    const outcomesInOrder = [...failures, last];
    outcomesInOrder.forEach((outcome, i) => {
      const attempt = i + 1;
      events.push(dial(i, attempt, 10 + attempt), session('ringing'));
      if (outcome === 'answered') events.push(session('connected', { answeredAt: T0 + 5000 }));
      else events.push(session(outcome === 'canceled' ? 'cancel' : outcome === 'no_answer' ? 'noanswer' : 'failed'));
      events.push(result(attempt, outcome));
    });
    events.push(end(outcomesInOrder.length));
    const endAt = T0 + 5000 + talk * 1000;
    if (withSessionEnd) events.push(session(last === 'answered' ? 'connected' : 'noanswer', { endedAt: endAt }));
    if (withCdr) events.push(cdr(last === 'answered' ? 'ANSWER' : last === 'busy' ? 'BUSY' : last === 'canceled' ? 'CANCEL' : 'NOANSWER', last === 'answered' ? talk : 0, { endedAt: endAt }));
    return events;
  });

/** The events delivered in any order, some of them more than once. */
const delivered = (events: CallEvent[]) =>
  fc.tuple(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.array(fc.nat(events.length - 1), { maxLength: 5 })).map(([order, again]) => [...order, ...again.map((i) => events[i]!)]);

describe('laws of the call fold', () => {
  it('adding an event is idempotent and commutative, whatever the events', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 8 }), anyEvent, anyEvent, (prefix, a, b) => {
        const facts = foldCall(prefix);
        expect(foldCallEvent(foldCallEvent(facts, a), a)).toEqual(foldCallEvent(facts, a));
        expect(foldCallEvent(foldCallEvent(facts, a), b)).toEqual(foldCallEvent(foldCallEvent(facts, b), a));
      }),
      { numRuns: 500 },
    );
  });

  it('any delivery order Cloudonix can produce tells the same story as in order', () => {
    fc.assert(
      fc.property(
        realisticCall.chain((events) => fc.tuple(fc.constant(events), delivered(events))),
        ([inOrder, shuffled]) => {
          expect(story(shuffled)).toEqual(story(inOrder));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('a realistic call ends, and it is completed exactly when its last agent answered', () => {
    fc.assert(
      fc.property(realisticCall, (events) => {
        const s = story(events);
        expect(s.ended).toBe(true);
        const lastResult = events.filter((e) => e.kind === 'dial_result').at(-1);
        expect(s.status === 'completed').toBe(lastResult?.kind === 'dial_result' && lastResult.outcome === 'answered');
        if (s.answered) expect(s.answeringAgentId).toBe(s.attempts.at(-1)?.agentId);
      }),
      { numRuns: 300 },
    );
  });
});
