/**
 * The states a call's story can be in (see core/lifecycle/tell-story.ts, which
 * decides them). Terminal states mean the call is over; a later, more
 * authoritative event (the CDR) may still correct which one.
 */
export const callStates = ['received', 'queued', 'routing', 'connecting', 'connected', 'completed', 'failed', 'busy', 'no_answer', 'fallback'] as const;
export type CallState = (typeof callStates)[number];

/** `fallback`: no agent took the call and the tenant's fallback route ended it (a message, a rejection, an unanswered number). */
export const terminalStates: ReadonlySet<CallState> = new Set(['completed', 'failed', 'busy', 'no_answer', 'fallback']);

export function isTerminal(state: CallState): boolean {
  return terminalStates.has(state);
}

/** The states of a call still going on: the one definition of an active call (see LiveCallsService). */
export const liveStates: readonly CallState[] = callStates.filter((s) => !terminalStates.has(s));
