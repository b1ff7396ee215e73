import { z } from 'zod';

/**
 * Live calls against caps, now: the live-call slots routing counts against each
 * agent's `max_concurrent_calls` (the same numbers as the vlb_live_calls gauge).
 */
export const agentOccupancy = z.object({
  agent_id: z.number().int(),
  name: z.string(),
  enabled: z.boolean(),
  live_calls: z.number().int(),
  /** null: no cap. */
  max_concurrent_calls: z.number().int().nullable(),
  /** live_calls / max_concurrent_calls (0..1, above 1 when a cap was lowered under live calls); null without a cap. */
  occupancy: z.number().nullable(),
  /** A new call would skip this agent for its cap ("calls beyond the cap go to the next agent"). */
  at_capacity: z.boolean(),
});

export const groupOccupancy = z.object({
  group_id: z.number().int(),
  name: z.string(),
  enabled: z.boolean(),
  agent_ids: z.array(z.number().int()),
  /** Live calls of its members (a member's calls from other groups count too: they take the same slots). */
  live_calls: z.number().int(),
  /** Sum of the enabled members' caps; null when an enabled member has no cap. */
  capacity: z.number().int().nullable(),
  /** live_calls / capacity; null without a capacity (or a capacity of 0). */
  occupancy: z.number().nullable(),
  /** Every enabled member is at its cap (or none is enabled): a new call goes to the fallback. */
  at_capacity: z.boolean(),
});

/** A provider pool's live calls across its agents against the provider account's limit. */
export const poolOccupancy = z.object({
  pool_id: z.number().int(),
  name: z.string(),
  provider: z.string().nullable(),
  agent_ids: z.array(z.number().int()),
  /** Calls holding a slot in the pool (one per call and agent it is on). */
  live_calls: z.number().int(),
  max_concurrent_calls: z.number().int(),
  /** live_calls / max_concurrent_calls (above 1 when the limit was lowered under live calls). */
  occupancy: z.number().nullable(),
  /** A new call skips the pool's agents (`pool_full`) and goes to the next candidate or the fallback. */
  at_capacity: z.boolean(),
});

export const occupancyView = z.object({
  /** When the slots were read (ISO 8601). */
  at: z.string(),
  agents: z.array(agentOccupancy),
  groups: z.array(groupOccupancy),
  pools: z.array(poolOccupancy),
});
export type OccupancyView = z.infer<typeof occupancyView>;
export type AgentOccupancy = z.infer<typeof agentOccupancy>;
export type GroupOccupancy = z.infer<typeof groupOccupancy>;
export type PoolOccupancy = z.infer<typeof poolOccupancy>;
