/**
 * The life of a call as we track it. Terminal states are final: a late or
 * duplicated event can never reopen a finished call.
 */
export const callStates = ['received', 'queued', 'routing', 'connecting', 'connected', 'completed', 'failed', 'busy', 'no_answer'] as const;
export type CallState = (typeof callStates)[number];

export const terminalStates: ReadonlySet<CallState> = new Set(['completed', 'failed', 'busy', 'no_answer']);

const rank: Record<CallState, number> = { received: 0, queued: 1, routing: 2, connecting: 3, connected: 4, completed: 9, failed: 9, busy: 9, no_answer: 9 };

export type TransitionResult =
  | { readonly kind: 'transition'; readonly from: CallState; readonly to: CallState }
  | { readonly kind: 'unchanged'; readonly state: CallState }
  | { readonly kind: 'refused'; readonly from: CallState; readonly to: CallState; readonly reason: string };

export function isTerminal(state: CallState): boolean {
  return terminalStates.has(state);
}

/**
 * Whether a call may move from `from` to `to`: forward through the live states,
 * back from connecting to routing (failover to the next agent), and from any live
 * state to any terminal one. Out of a terminal state: never.
 */
export function transition(from: CallState, to: CallState): TransitionResult {
  if (from === to) return { kind: 'unchanged', state: from };
  if (isTerminal(from)) return { kind: 'refused', from, to, reason: `the call already ended as ${from}` };
  if (isTerminal(to) || rank[to] > rank[from] || (from === 'connecting' && to === 'routing')) return { kind: 'transition', from, to };
  return { kind: 'refused', from, to, reason: `a call cannot go back from ${from} to ${to}` };
}
