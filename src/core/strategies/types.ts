/** The distribution strategies a group can use. */
export const strategyNames = ['round_robin', 'priority', 'load_balanced', 'least_live'] as const;
export type StrategyName = (typeof strategyNames)[number];

/** One group member as a strategy sees it: configuration joined with live state. */
export interface MemberState {
  readonly agentId: number;
  /** Lower is preferred (priority strategy). */
  readonly priority: number;
  /** Relative share of calls (round robin weight; load-balanced divisor). At least 1. */
  readonly capacity: number;
  readonly enabled: boolean;
  readonly healthy: boolean;
  /** Calls connected or ringing now (least_live orders by this per unit of capacity). */
  readonly activeCalls: number;
  /** Null means no limit. */
  readonly maxConcurrentCalls: number | null;
  /** Calls sent to this member within the group's rolling window (load balanced). */
  readonly windowCalls: number;
  /** When this member was last chosen (load balanced tie-break); null if never. */
  readonly lastChosenAt: number | null;
  /** Its provider pool is at its limit (absent: no pool, or room). Skipped like a member at its cap. */
  readonly poolFull?: boolean;
}

/** `pool_full`: the member's provider pool holds its limit of live calls across its agents. */
export type SkipReason = 'disabled' | 'unhealthy' | 'at_capacity' | 'pool_full';

export interface SkippedMember {
  readonly agentId: number;
  readonly reason: SkipReason;
}

/**
 * A strategy's answer: agent ids in the order to try them. The first is the pick,
 * the rest the failover order; empty when nobody is eligible.
 */
export interface CandidateOrder {
  readonly kind: 'candidates';
  readonly candidates: readonly number[];
  readonly skipped: readonly SkippedMember[];
}
