import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../src/core/lifecycle/call-event.js';
import { foldCall } from '../../src/core/lifecycle/fold-call.js';
import { agentsDialled, answeredBefore, stepAnswered } from '../../src/core/lifecycle/repeat-answer.js';
import { repeatEffects } from '../../src/core/lifecycle/story-effects.js';
import { tellStory } from '../../src/core/lifecycle/tell-story.js';

const T0 = Date.UTC(2026, 0, 1, 10);
const dial = (step: number, attempt: number, agentId: number | null): CallEvent => ({ kind: 'answer', step, at: T0 + step * 1000, act: 'dial', attempt, agentId, fallback: null });
const end = (step: number): CallEvent => ({ kind: 'answer', step, at: T0 + step * 1000, act: 'end', fallback: 'attempts_exhausted' });
const noAnswer = (attempt: number): CallEvent => ({ kind: 'dial_result', attempt, outcome: 'no_answer' });
const cdr: CallEvent = { kind: 'cdr', disposition: 'ANSWER', billsec: 30, durationSeconds: 31, startedAt: T0, answeredAt: T0 + 1000, endedAt: T0 + 31_000 };
const sessionUpdate: CallEvent = { kind: 'session', status: 'ringing', startedAt: T0, answeredAt: null, endedAt: null };

describe('a routing request answered before (the record tells a repeat once its key is gone)', () => {
  it('a step the facts answer is answered; another step, or a call only session updates opened, is not', () => {
    const facts = foldCall([dial(0, 1, 11), noAnswer(1), dial(1, 2, 12)]);
    expect([0, 1, 2].map((step) => stepAnswered(facts, step))).toEqual([true, true, false]);
    expect(stepAnswered(foldCall([sessionUpdate, cdr]), 0)).toBe(false);
  });

  it('a write answering an answered step is a repeat, whatever it answers now; results and session events never are', () => {
    const facts = foldCall([dial(0, 1, 11), noAnswer(1), dial(1, 2, 12)]);
    expect(answeredBefore(facts, [dial(0, 1, 12)])).toBe(true);
    expect(answeredBefore(facts, [noAnswer(2), end(1)])).toBe(true);
    expect(answeredBefore(facts, [noAnswer(2), end(2)])).toBe(false);
    expect(answeredBefore(facts, [sessionUpdate, cdr, noAnswer(1), undefined])).toBe(false);
  });

  it('the slot a repeat claimed is given back unless the call holds that agent; an ended call frees every agent', () => {
    const live = tellStory(foldCall([dial(0, 1, 11)]));
    expect(agentsDialled([dial(0, 1, 12), noAnswer(1), end(1)])).toEqual([12]);
    expect(repeatEffects(live, [12])).toEqual({ release: [12], faults: [], credit: null });
    expect(repeatEffects(live, [11])).toEqual({ release: [], faults: [], credit: null });
    const ended = tellStory(foldCall([dial(0, 1, 11), cdr]));
    expect(repeatEffects(ended, [12])).toEqual({ release: [11, 12], faults: [], credit: null });
    expect(repeatEffects(ended)).toEqual({ release: [11], faults: [], credit: null });
  });
});
