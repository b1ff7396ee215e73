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

export const occupancyView = z.object({
  /** When the slots were read (ISO 8601). */
  at: z.string(),
  agents: z.array(agentOccupancy),
  groups: z.array(groupOccupancy),
});
export type OccupancyView = z.infer<typeof occupancyView>;
export type AgentOccupancy = z.infer<typeof agentOccupancy>;
export type GroupOccupancy = z.infer<typeof groupOccupancy>;
