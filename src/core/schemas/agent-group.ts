import { z } from 'zod';
import { strategyNames } from '../strategies/types.js';
import { dialOptionsSchema, dialOptionsView } from './dial-options.js';
import { healthStatuses } from './voice-agent.js';
import './error-messages.js';

const maxAttemptsField = z.number().int().min(1).max(10);
const windowHoursField = z.number().int().min(1).max(168);
/** Up to a week: how long a caller counts as returning to the agent that last served them. */
const stickyTtlField = z.number().int().min(1).max(10_080);

/** Returning callers: prefer the agent that last served this caller within `ttl_minutes` (never one that is disabled, unhealthy or full). */
export const returningCallersSchema = z
  .object({ enabled: z.boolean().default(true), ttl_minutes: stickyTtlField.default(60) })
  .strict();
export type ReturningCallers = z.infer<typeof returningCallersSchema>;

/** Settings shared by every strategy: how failover behaves for one call. */
const commonSettings = {
  /** Agents tried per call before the tenant's fallback (failover attempts). */
  max_attempts: maxAttemptsField.default(3),
  /** When every attempt failed (or nobody is eligible), use the tenant's fallback route. */
  fallback_enabled: z.boolean().default(true),
  /** A busy agent is a deliberate decline, not an outage: fail over on busy only when asked. */
  failover_on_busy: z.boolean().default(false),
  /** What every member is told about the call; each member's own options override these per field. Null for none. */
  dial_options: dialOptionsSchema.nullable().optional(),
  /** Absent or disabled: the strategy alone decides (and no caller is remembered). */
  returning_callers: returningCallersSchema.optional(),
};

export const strategySettings = {
  round_robin: z.object(commonSettings).strict(),
  priority: z.object(commonSettings).strict(),
  load_balanced: z
    .object({ ...commonSettings, window_hours: windowHoursField.default(24) })
    .strict(),
  least_live: z.object(commonSettings).strict(),
} as const;

export type GroupSettings = z.infer<(typeof strategySettings)[keyof typeof strategySettings]> & { window_hours?: number };

export const strategyField = z.enum(strategyNames, { message: `must be one of: ${strategyNames.join(', ')}` });

const settingsHelp =
  'max_attempts (1-10, default 3), fallback_enabled (default true), failover_on_busy (default false), window_hours (load_balanced only, 1-168, default 24), ' +
  "dial_options (the caller context every member gets, as an agent's dial_options; a member's own fields win), " +
  'returning_callers ({enabled, ttl_minutes 1-10080, default 60}: prefer the agent that last served the caller)';

/**
 * Every key some strategy's settings may hold, typed, without defaults: what clients (and
 * /openapi.json) see. The chosen strategy's own schema then decides which keys it takes
 * (window_hours only for load_balanced) and fills the defaults.
 */
export const groupSettingsInput = z
  .object({
    max_attempts: maxAttemptsField.optional().describe('Agents tried per call before the fallback (1-10, default 3)'),
    fallback_enabled: z.boolean().optional().describe("When every attempt failed or nobody is free, use the tenant's fallback route (default true)"),
    failover_on_busy: z.boolean().optional().describe('Try the next agent when one answers busy (default false)'),
    window_hours: windowHoursField.optional().describe('load_balanced only: the window the shares are counted over, in hours (1-168, default 24)'),
    dial_options: dialOptionsSchema.nullable().optional().describe("The caller context every member gets, as an agent's dial_options; a member's own fields win"),
    returning_callers: returningCallersSchema
      .optional()
      .describe('Prefer the agent that last served this caller (same number) within ttl_minutes (1-10080, default 60), unless it is disabled, unhealthy, full or no longer a member'),
  })
  .strict();

const groupNameField = z.string().trim().min(1, { message: 'is required' }).max(120);

/** A whole group; settings are validated for the chosen strategy and filled with defaults. */
export const agentGroupBody = z
  .object({
    name: groupNameField,
    strategy: strategyField,
    settings: groupSettingsInput.default({}).describe(settingsHelp),
    enabled: z.boolean().default(true),
  })
  .strict()
  .transform((body, ctx) => {
    const parsed = strategySettings[body.strategy].safeParse(body.settings);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: ['settings', ...issue.path] });
      }
      return z.NEVER;
    }
    return { ...body, settings: parsed.data as GroupSettings };
  });
export type AgentGroupInput = z.output<typeof agentGroupBody>;

/** PUT accepts any subset; the service merges it with the stored group and validates the result as a whole. */
export const updateAgentGroupBody = z
  .object({
    name: groupNameField.optional(),
    strategy: strategyField.optional(),
    settings: groupSettingsInput.optional().describe(settingsHelp),
    enabled: z.boolean().optional(),
  })
  .strict();
export type UpdateAgentGroupInput = z.infer<typeof updateAgentGroupBody>;

const priorityField = z.number().int().min(1).max(1000);
const capacityField = z.number().int().min(1).max(1000);

export const addMemberBody = z
  .object({
    agent_id: z.number().int().positive().max(2_147_483_647),
    priority: priorityField.default(1),
    capacity: capacityField.default(1),
  })
  .strict();
export type AddMemberInput = z.infer<typeof addMemberBody>;

export const updateMemberBody = z
  .object({ priority: priorityField.optional(), capacity: capacityField.optional() })
  .strict()
  .refine((b) => b.priority !== undefined || b.capacity !== undefined, { message: 'give priority, capacity or both' });
export type UpdateMemberInput = z.infer<typeof updateMemberBody>;

export const memberView = z.object({
  id: z.number().int(),
  agent_id: z.number().int(),
  agent_name: z.string(),
  provider: z.string(),
  /** The provider's display name (its id when the catalog no longer knows it). */
  provider_name: z.string(),
  agent_enabled: z.boolean(),
  health_status: z.enum(healthStatuses),
  max_concurrent_calls: z.number().int().nullable(),
  priority: z.number().int(),
  capacity: z.number().int(),
});
export type MemberView = z.infer<typeof memberView>;

/** A group's stored settings as answered (defaults filled when it was saved; window_hours only for load_balanced). */
export const groupSettingsView = z.object({
  max_attempts: z.number().int().optional(),
  fallback_enabled: z.boolean().optional(),
  failover_on_busy: z.boolean().optional(),
  window_hours: z.number().int().optional(),
  dial_options: dialOptionsView.nullable().optional(),
  returning_callers: z.object({ enabled: z.boolean(), ttl_minutes: z.number().int() }).optional(),
});
export type GroupSettingsView = z.infer<typeof groupSettingsView>;

export const agentGroupView = z.object({
  id: z.number().int(),
  name: z.string(),
  strategy: strategyField,
  settings: groupSettingsView,
  enabled: z.boolean(),
  member_count: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type AgentGroupView = z.infer<typeof agentGroupView>;

export const agentGroupDetail = agentGroupView.extend({ members: z.array(memberView) });
export type AgentGroupDetail = z.infer<typeof agentGroupDetail>;
