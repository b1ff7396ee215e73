import type { DialOutcome } from '../routing/call-status.js';

/** Why the tenant's fallback route took a call (the decision trace says it too). */
export type FallbackReason = 'no_rule' | 'no_candidate' | 'attempts_exhausted' | 'target_missing' | 'error';

/**
 * What our answer at one routing step did. Step 0 is the voice-application request;
 * step n is the answer to the Dial callback of attempt n. `dial` sent the call to an
 * agent (`agentId`) or a number (`agentId` null: outbound trunks, a fallback number);
 * `end` hung up, rejected, or played a message and hung up.
 */
export type RouteAct =
  | { readonly act: 'dial'; readonly attempt: number; readonly agentId: number | null; readonly fallback: FallbackReason | null }
  | { readonly act: 'end'; readonly fallback: FallbackReason | null };

/**
 * One thing we learned about a call, from any of its webhooks. A call's story is a
 * fold of these (see fold-call.ts); they may come twice, late and in any order.
 */
export type CallEvent =
  | ({ readonly kind: 'answer'; readonly step: number; readonly at: number } & RouteAct)
  | { readonly kind: 'dial_result'; readonly attempt: number; readonly outcome: DialOutcome }
  | {
      readonly kind: 'session';
      readonly status: string | null;
      readonly startedAt: number | null;
      readonly answeredAt: number | null;
      readonly endedAt: number | null;
    }
  | {
      readonly kind: 'cdr';
      readonly disposition: string | null;
      readonly billsec: number | null;
      readonly durationSeconds: number | null;
      readonly startedAt: number | null;
      readonly answeredAt: number | null;
      readonly endedAt: number | null;
    }
  /** Nothing ended the call within the tenant's maximum call length: we close it. */
  | { readonly kind: 'expired'; readonly at: number }
  /** An admin ended a call whose end never came (a stale live call): we close it. */
  | { readonly kind: 'closed'; readonly at: number }
  /**
   * An admin switched the running call to someone else (Cloudonix's session application
   * switch): `seq` numbers the call's hand-offs (1, 2, …); the latest (by time) says who has it.
   */
  | ({ readonly kind: 'handoff' } & Handoff);

/**
 * A hand-off of a live call: to an agent (`agentId`, maybe picked from `groupId`), or to a
 * person's number (`agentId` null; the number itself is on the timeline, not in the facts).
 */
export interface Handoff {
  readonly seq: number;
  readonly at: number;
  readonly agentId: number | null;
  readonly groupId: number | null;
  /** The user who handed it off. */
  readonly by: number | null;
}

/** How far the session updates say the call got: processing < ringing < connected. */
export const SESSION_PROGRESS = { none: 0, processing: 1, ringing: 2, connected: 3 } as const;

/** A leg's failure as a session update words it, in our vocabulary. */
export type SessionFailure = 'busy' | 'canceled' | 'declined' | 'failed' | 'no_answer';

export type CdrFact = Omit<Extract<CallEvent, { kind: 'cdr' }>, 'kind'>;

/**
 * Everything known about a call, kept so that adding an event is a join: each
 * field only grows (a max, a min, a union, a choice by a fixed order), so the
 * same events in any order, any number of times, give the same facts.
 */
export interface CallFacts {
  /** Our answer at each routing step, by step number. */
  readonly answers: Readonly<Record<string, RouteAct & { readonly at: number }>>;
  /** The Dial result of each attempt, by attempt number. */
  readonly results: Readonly<Record<string, DialOutcome>>;
  readonly session: {
    readonly progress: number;
    readonly failures: readonly SessionFailure[];
    readonly startedAt: number | null;
    readonly answeredAt: number | null;
    readonly endedAt: number | null;
  };
  readonly cdr: CdrFact | null;
  readonly expiredAt: number | null;
  /** When an admin ended the call; absent in facts stored before it existed (read as null). */
  readonly closedAt?: number | null;
  /** The call's hand-offs by `seq@at`; absent in facts stored before they existed (read as none). */
  readonly handoffs?: Readonly<Record<string, Handoff>>;
}

export const NO_FACTS: CallFacts = {
  answers: {},
  results: {},
  session: { progress: SESSION_PROGRESS.none, failures: [], startedAt: null, answeredAt: null, endedAt: null },
  cdr: null,
  expiredAt: null,
  closedAt: null,
};
