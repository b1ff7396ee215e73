import { z } from 'zod';
import { patternProblem } from '../routing/pattern-problem.js';
import { splitArmField, splitArmsField, splitArmView } from './split.js';
import { ruleScheduleField, ruleScheduleView } from './rule-schedule.js';
import './error-messages.js';

const INT_MAX = 2_147_483_647;

/**
 * A number pattern (`+12125550187`, `+1212555????`, `+1212*`, `*`), refused at write
 * time with the reason it could never match a whole number, so the routing engine never meets a bad one.
 * Kept as typed (trimmed): the engine compiles it again and ignores separators.
 */
export const numberPatternField = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(64, { message: 'must be at most 64 characters' })
  .superRefine((value, ctx) => {
    const problem = patternProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Explicit order among rules; lower is tried first. */
export const rulePriorityField = z
  .number()
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be between 1 and 10000' })
  .max(10_000, { message: 'must be between 1 and 10000' });

export const ruleTargetTypes = ['agent', 'group'] as const;
/** An inbound rule sends calls to an agent, a group, or a weighted split between agents and groups. */
export const inboundTargetTypes = [...ruleTargetTypes, 'split'] as const;
export const patternKinds = ['exact', 'wildcard', 'prefix'] as const;

export const inboundRuleBody = z
  .object({
    name: z
      .string()
      .trim()
      .max(120, { message: 'must be at most 120 characters' })
      .nullable()
      .optional()
      .transform((v) => (v === '' || v === undefined ? null : v)),
    pattern: numberPatternField,
    target_type: z.enum(inboundTargetTypes, { message: 'must be agent, group or split' }),
    /** The agent or group; absent (or null) for a split, whose arms name their own targets. */
    target_id: z.number().int({ message: 'must be a whole number' }).positive().max(INT_MAX).nullable().optional(),
    /** The arms when target_type is split: 2–10, labels unique, percents adding up to 100. */
    split: splitArmsField.nullable().optional(),
    priority: rulePriorityField.default(100),
    enabled: z.boolean().default(true),
    /** When the rule is open, in the tenant's time zone; null (the default): always. */
    schedule: ruleScheduleField.nullable().default(null),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.target_type === 'split') {
      if (!rule.split) ctx.addIssue({ code: 'custom', path: ['split'], message: 'is required when target_type is split' });
      if (rule.target_id != null) ctx.addIssue({ code: 'custom', path: ['target_id'], message: 'must be left out for a split (each arm names its target)' });
    } else {
      if (rule.target_id == null) ctx.addIssue({ code: 'custom', path: ['target_id'], message: 'is required' });
      if (rule.split != null) ctx.addIssue({ code: 'custom', path: ['split'], message: 'is only for target_type split' });
    }
  });
export type InboundRuleInput = z.output<typeof inboundRuleBody>;

/**
 * PUT accepts any subset; the service merges it with the stored rule and validates the result as a
 * whole (inboundRuleBody), so here only each field's type is checked — which also documents it.
 */
export const updateInboundRuleBody = z
  .object({
    name: z.string().nullable().optional(),
    pattern: z.string({ message: 'must be a text pattern' }).optional(),
    target_type: z.enum(inboundTargetTypes, { message: 'must be agent, group or split' }).optional(),
    target_id: z.number({ message: 'must be a whole number' }).nullable().optional(),
    // Each arm checked here; their count, labels and sum with the merged rule (inboundRuleBody).
    split: z.array(splitArmField, { message: 'must be a list of arms' }).nullable().optional(),
    priority: z.number({ message: 'must be a whole number' }).optional(),
    enabled: z.boolean({ message: 'must be true or false' }).optional(),
    /** Replaces the whole schedule; null removes it (always open). */
    schedule: ruleScheduleField.nullable().optional(),
  })
  .strict();
export type UpdateInboundRuleInput = z.infer<typeof updateInboundRuleBody>;

export const inboundRuleView = z.object({
  id: z.number().int(),
  name: z.string().nullable(),
  pattern: z.string(),
  /** Null only for a stored pattern that no longer compiles: the engine skips such a rule. */
  pattern_kind: z.enum(patternKinds).nullable(),
  target_type: z.enum(inboundTargetTypes),
  /** Null for a split. */
  target_id: z.number().int().nullable(),
  target_name: z.string().nullable(),
  /** The split's arms when target_type is split, else null. */
  split: z.array(splitArmView).nullable(),
  priority: z.number().int(),
  position: z.number().int(),
  enabled: z.boolean(),
  /** Null: always open. */
  schedule: ruleScheduleView.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type InboundRuleView = z.infer<typeof inboundRuleView>;

const trunkNameField = z
  .string()
  .trim()
  .min(1, { message: 'must not be empty' })
  .max(100, { message: 'must be at most 100 characters' })
  .regex(/^[A-Za-z0-9._-]+$/, { message: 'a trunk name may hold letters, digits, . _ and -' });
const trunkIdField = z.number().int({ message: 'a trunk id must be a whole number' }).positive({ message: 'a trunk id must be positive' }).max(INT_MAX);

export const trunkConfigField = z
  .object({
    trunks: z
      .array(z.union([trunkNameField, trunkIdField], { message: 'must be a trunk name or a numeric trunk id' }))
      .min(1, { message: 'name at least one trunk' })
      .max(10, { message: 'may name at most 10 trunks' })
      // A mix has no documented rendering in <Dial trunks>: ids are a JSON array, names a comma list.
      .refine((ts) => new Set(ts.map((x) => typeof x)).size <= 1, {
        message: 'use either trunk names or numeric trunk ids, not both',
      })
      .refine((ts) => new Set(ts).size === ts.length, { message: 'names a trunk twice' }),
    /** Caller ID presented on the outbound leg instead of the agent's own. */
    caller_id: z
      .string()
      .trim()
      .regex(/^(\+?[0-9]{3,20})?$/, { message: 'must be a phone number such as +12125550187' })
      .nullable()
      .default(null)
      .transform((v) => (v === '' ? null : v)),
  })
  .strict();
export type TrunkConfig = z.output<typeof trunkConfigField>;

export const outboundRuleBody = z
  .object({
    name: z.string().trim().min(1, { message: 'is required' }).max(120, { message: 'must be at most 120 characters' }),
    /** Pattern of the agents' caller IDs this rule applies to, e.g. `+1555000????`. */
    caller_id: numberPatternField,
    destination_pattern: numberPatternField.default('*'),
    trunk_config: trunkConfigField,
    priority: rulePriorityField.default(100),
    enabled: z.boolean().default(true),
  })
  .strict();
export type OutboundRuleInput = z.output<typeof outboundRuleBody>;

/** As updateInboundRuleBody: types here, the merged rule validated by the service (outboundRuleBody). */
export const updateOutboundRuleBody = z
  .object({
    name: z.string({ message: 'must be text' }).optional(),
    caller_id: z.string({ message: 'must be a text pattern' }).optional(),
    destination_pattern: z.string({ message: 'must be a text pattern' }).optional(),
    // An object is merged field by field with the stored one, so `{caller_id: null}` alone clears the override.
    trunk_config: z
      .object({
        trunks: z.array(z.union([z.string(), z.number()]), { message: 'must be a list of trunk names or numeric trunk ids' }).optional(),
        caller_id: z.string({ message: 'must be a phone number such as +12125550187' }).nullable().optional(),
      })
      .strict()
      .optional(),
    priority: z.number({ message: 'must be a whole number' }).optional(),
    enabled: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .strict();
export type UpdateOutboundRuleInput = z.infer<typeof updateOutboundRuleBody>;

export const outboundRuleView = z.object({
  id: z.number().int(),
  name: z.string(),
  caller_id: z.string(),
  destination_pattern: z.string(),
  trunk_config: z.object({ trunks: z.array(z.union([z.string(), z.number().int()])), caller_id: z.string().nullable() }),
  /** How the trunks are written in `<Dial trunks="...">`. */
  trunks_attribute: z.string(),
  priority: z.number().int(),
  position: z.number().int(),
  enabled: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type OutboundRuleView = z.infer<typeof outboundRuleView>;

const ruleIdList = z.array(z.number().int({ message: 'must be a whole number' }).positive().max(INT_MAX)).max(10_000);
const reorderByIds = z.object({ ids: ruleIdList }).strict();

/**
 * The whole new evaluation order: every rule id of the tenant, once each, as `{"ids": [...]}`
 * or (the seed documents' form, a documented alias) the bare array `[...]`. One schema reads
 * both, so a refusal names `ids` whichever form was sent; OpenAPI shows them as oneOf.
 */
export const reorderRulesBody = z
  .unknown()
  .transform((body, ctx) => {
    const parsed = reorderByIds.safeParse(Array.isArray(body) ? { ids: body } : body);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
    return z.NEVER;
  })
  .meta({ oneOf: (z.toJSONSchema(z.xor([reorderByIds, ruleIdList]), { io: 'input' }) as { oneOf: unknown[] }).oneOf });
export type ReorderRulesInput = z.output<typeof reorderRulesBody>;

/** Rules come back whole by default (the list is the evaluation order); page/per_page are honoured when given. */
export const ruleListQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  per_page: z.coerce.number().int().min(1).max(1000).optional(),
});
export type RuleListQuery = z.infer<typeof ruleListQuery>;
