import { z } from 'zod';
import { healthStatuses } from '../core/schemas/voice-agent.js';

/**
 * A recorded Cloudonix call sequence: the webhooks of one call, in the order
 * Cloudonix delivered them (repeats and reorderings included), each naming the
 * public source it follows. `simulate replay FILE` plays one against a running
 * service; test/fixtures/cloudonix/ holds the ones every backend is checked with
 * (`setup` and `expect` are for those tests; the simulator only prints them).
 *
 * Strings in bodies may hold placeholders: `{{session}}`, `{{domain}}`, `{{t}}` /
 * `{{t+N}}` (the call's start, plus N ms, as a number when it is the whole string)
 * and `{{iso+N}}` (the same instant as ISO-8601).
 */
const jsonValue: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

export const answerKinds = ['dial', 'connect', 'hangup', 'reject', 'say'] as const;

export const sequenceStep = z
  .object({
    /** callback: POSTed to the action URL of the last Dial or Connect the service answered. */
    send: z.enum(['voice', 'callback', 'session', 'cdr']),
    note: z.string().optional(),
    body: jsonValue,
    /** How the secret goes: voice and callback default to bearer, session and cdr to query. */
    auth: z.enum(['bearer', 'x-cx-apikey', 'query', 'none']).optional(),
    /** The Content-Type header sent; null sends none. */
    content_type: z.string().nullable().default('application/json'),
    /** Deliver this step this many times in a row (a retried webhook). */
    times: z.number().int().min(1).max(10).default(1),
    expect: z
      .object({
        status: z.number().int().optional(),
        answer: z.enum(answerKinds).optional(),
        /** The agent (its setup key) the answer dials or connects. */
        agent: z.string().optional(),
        /** Text the answer must hold (e.g. a filled WebSocket URL). */
        contains: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SequenceStep = z.infer<typeof sequenceStep>;

const agentSetup = z.object({ key: z.string(), provider: z.string(), service_value: z.string(), max_concurrent_calls: z.number().int().nullable().optional(), dial_options: jsonValue.optional() }).strict();

export const sequenceFile = z
  .object({
    name: z.string(),
    /** The public material this sequence follows (shared/cloudonix.md source tags and files). */
    source: z.string().min(10),
    description: z.string().optional(),
    /** Plays the steps this many times, each time as a new call (a new session token). */
    calls: z.number().int().min(1).max(50).default(1),
    setup: z
      .object({
        agents: z.array(agentSetup).min(1),
        group: z.object({ strategy: z.enum(['round_robin', 'priority', 'load_balanced', 'least_live']), members: z.array(z.string()).min(1), settings: z.record(z.string(), jsonValue).optional() }).strict().optional(),
        /** The inbound rule's pattern; it targets the group when there is one, else the first agent. */
        rule: z.string().optional(),
        outbound_rule: z.object({ caller_id: z.string(), destination_pattern: z.string(), trunks: z.array(z.string()) }).strict().optional(),
        tenant_settings: z.record(z.string(), jsonValue).optional(),
      })
      .strict()
      .optional(),
    steps: z.array(sequenceStep).min(1),
    expect: z
      .object({
        status: z.string(),
        reason: z.string(),
        /** The setup key of the agent the record names, or null. */
        agent: z.string().nullable(),
        billsec: z.number().int().nullable().optional(),
        duration_seconds: z.number().int().nullable().optional(),
        /** ms after the call's start. */
        answered_at: z.number().int().nullable().optional(),
        ended_at: z.number().int().nullable().optional(),
        disposition: z.string().nullable().optional(),
        direction: z.string().optional(),
        cloudonix_direction: z.string().nullable().optional(),
        from: z.string().optional(),
        to: z.string().optional(),
        cdrs: z.number().int().optional(),
        /** Health of each agent after every call of the file (setup key → healthy / unhealthy / never_tried). */
        health: z.record(z.string(), z.enum(healthStatuses)).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type SequenceFile = z.infer<typeof sequenceFile>;

export interface SequenceValues {
  session: string;
  domain: string;
  /** The call's start, epoch ms. */
  t: number;
}

const PLACEHOLDER = /\{\{(session|domain|t|iso)(?:\+(\d+))?\}\}/g;

/** A body with its placeholders filled; a string that is only `{{t+N}}` becomes a number. */
export function fillSequenceValue(value: unknown, v: SequenceValues): unknown {
  if (typeof value === 'string') {
    const whole = /^\{\{t(?:\+(\d+))?\}\}$/.exec(value);
    if (whole) return v.t + Number(whole[1] ?? 0);
    return value.replace(PLACEHOLDER, (_m, name: string, plus: string | undefined) => {
      const offset = Number(plus ?? 0);
      if (name === 'session') return v.session;
      if (name === 'domain') return v.domain;
      if (name === 't') return String(v.t + offset);
      return new Date(v.t + offset).toISOString();
    });
  }
  if (Array.isArray(value)) return value.map((x) => fillSequenceValue(x, v));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, fillSequenceValue(x, v)]));
  return value;
}
