import type { CallEvent, CallFacts } from './call-event.js';

/**
 * Our answer at a routing step is given once: step 0 to the voice-application request,
 * step n to the Dial callback of attempt n. A request for a step the call's facts already
 * answer is a repeat of one already answered (a copy that came after its answer key
 * expired, or after the call ended): nothing of it is stored. The record is what answers
 * this, for as long as the record exists, so the plane need not keep a key per call.
 */
export function stepAnswered(facts: CallFacts, step: number): boolean {
  return facts.answers[String(step)] !== undefined;
}

/** Whether `events` answer a step the facts already answer (see stepAnswered): the write is a repeat. */
export function answeredBefore(facts: CallFacts, events: readonly (CallEvent | undefined)[]): boolean {
  return events.some((e) => e?.kind === 'answer' && stepAnswered(facts, e.step));
}

/** The agents the answers among `events` dialled: a repeated request claimed their slots before it was found a repeat. */
export function agentsDialled(events: readonly (CallEvent | undefined)[]): number[] {
  return events.flatMap((e) => (e?.kind === 'answer' && e.act === 'dial' && e.agentId !== null ? [e.agentId] : []));
}
