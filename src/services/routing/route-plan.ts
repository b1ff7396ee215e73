import type { GroupSettings } from '../../core/schemas/agent-group.js';
import type { ScheduleSkip } from '../../core/routing/find-open-rule.js';
import type { StickyReason } from '../../core/strategies/prefer-returning-caller.js';
import type { StrategyName } from '../../core/strategies/types.js';

export type RouteTarget = { type: 'agent' | 'group'; id: number };

/** Why the tenant's fallback route was used. */
export type FallbackReason = 'no_rule' | 'no_candidate' | 'attempts_exhausted' | 'target_missing' | 'error';

export interface SkippedAgent {
  agent_id: number;
  reason: string;
}

export interface AttemptRecord {
  attempt: number;
  agent_id: number;
  at: string;
  outcome: string | null;
}

/**
 * Everything a routing decision used and produced: stored with the call record as
 * its decision trace, returned by the simulator, and read back by the failover
 * callback to continue with the next candidate.
 */
export interface DecisionTrace {
  direction: 'inbound' | 'outbound';
  /** Cloudonix's own Direction parameter (inbound, subscriber, outbound-api, application), as sent. */
  cloudonix_direction?: string | null;
  matched_rule: { id: number; kind: 'inbound' | 'outbound'; name: string | null; pattern: string } | null;
  target: RouteTarget | null;
  strategy: StrategyName | 'single_agent' | null;
  group_id: number | null;
  rotation_counter: number | null;
  /** Returning callers: the agent that last served this caller and whether the call went back to it, or why not ('sticky_agent_full', ...). */
  sticky?: { agent_id: number; used: boolean; reason: StickyReason } | null;
  candidates: number[];
  skipped: SkippedAgent[];
  chosen_agent_id: number | null;
  attempts: AttemptRecord[];
  settings: Pick<GroupSettings, 'max_attempts' | 'fallback_enabled' | 'failover_on_busy'>;
  outbound: { number: string; trunks: string; caller_id: string | null } | null;
  fallback: { type: string; reason: FallbackReason } | null;
  /** Rules that matched the number but were closed by their schedule at the call's moment, in order. Absent when none. */
  schedule_skipped?: ScheduleSkip[];
  /** The weighted split the rule sent the call through: its arm and the shared counter value that chose it. Absent without a split. */
  split?: SplitDecision;
}

export interface SplitDecision {
  rule_id: number;
  arm: string;
  counter: number;
}

export const singleAgentSettings = { max_attempts: 1, fallback_enabled: true, failover_on_busy: false } as const;
