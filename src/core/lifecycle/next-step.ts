import type { DialOutcome } from '../routing/call-status.js';

/** What to answer to a Dial callback (the failover decision). */
export type NextStep =
  | { readonly kind: 'hangup'; readonly why: 'answered' | 'caller_gone' | 'call_over' | 'outbound_done' | 'declined' | 'unknown_call' | 'handed_off' }
  /** The next candidate of the decision, within its attempt limit; then the tenant's fallback. */
  | { readonly kind: 'try_next' };

export interface DialResultContext {
  readonly outcome: DialOutcome;
  /** The call's end was already heard (a CDR or a final session update came first). */
  readonly callEnded: boolean;
  /** false when we have no routing decision for this call (we never routed it). */
  readonly routed: boolean;
  readonly outbound: boolean;
  readonly failoverOnBusy: boolean;
  /** An admin handed the call off: a Dial of the routing before it is over, and nothing follows it from us. */
  readonly handedOff?: boolean | undefined;
}

/**
 * The next step after a Dial result. An answer, a caller who hung up, or a call
 * already over ends the call; busy is a decline and ends it unless the group fails
 * over on busy; anything else (no answer, failure, unknown, an interim status that
 * should never end a Dial) tries the next candidate. After a hand-off the call is
 * someone else's: nothing more is tried. Pure.
 */
export function nextStepAfterDial(c: DialResultContext): NextStep {
  if (!c.routed) return { kind: 'hangup', why: 'unknown_call' };
  if (c.callEnded) return { kind: 'hangup', why: 'call_over' };
  if (c.handedOff) return { kind: 'hangup', why: 'handed_off' };
  if (c.outcome === 'answered') return { kind: 'hangup', why: 'answered' };
  if (c.outcome === 'canceled') return { kind: 'hangup', why: 'caller_gone' };
  if (c.outbound) return { kind: 'hangup', why: 'outbound_done' };
  if (c.outcome === 'busy' && !c.failoverOnBusy) return { kind: 'hangup', why: 'declined' };
  return { kind: 'try_next' };
}

/**
 * What a Dial result says about the agent's health: only the agent's own faults
 * count (no answer, failure, an unknown result). Busy is a decline, a caller's
 * hang-up is nobody's fault, and an interim status is no verdict at all.
 */
export function healthVerdict(outcome: DialOutcome): 'credit' | 'fault' | 'none' {
  switch (outcome) {
    case 'answered':
      return 'credit';
    case 'no_answer':
    case 'failed':
    case 'unknown':
      return 'fault';
    case 'busy':
    case 'canceled':
    case 'in_progress':
      return 'none';
  }
}
