import { z } from 'zod';
import { SETUP_ITEMS } from '../cloudonix/setup-plan.js';

/** One thing setup looks after at the Cloudonix domain, as people see it (URLs masked, the key as set / not set / differs). */
export const setupStepView = z.object({
  item: z.enum(SETUP_ITEMS),
  action: z.enum(['create', 'update', 'none']),
  current: z.string().nullable(),
  desired: z.string(),
  words: z.string(),
});

const received = z.object({
  /** When this webhook was last accepted in the past 24 hours (null: not in that time). */
  last_at: z.string().nullable(),
  /** Whether it was ever accepted (as far back as the webhook audit is kept). */
  ever: z.boolean(),
});

/** GET /api/cloudonix/setup: "check wiring" and what "set up domain" would change. */
export const setupCheckView = z.object({
  /** The tenant's domain, which is the Cloudonix domain the API key belongs to. */
  domain: z.string(),
  domain_found: z.boolean(),
  in_sync: z.boolean(),
  steps: z.array(setupStepView),
  /** What is wrong, one sentence each (empty when everything is wired). */
  missing: z.array(z.string()),
  /** Why Cloudonix could not call our URLs (PUBLIC_URL unset, localhost, plain http), or null. */
  urls_problem: z.string().nullable(),
  /** What this service has received from Cloudonix: the evidence the settings work. */
  received: z.object({ voice_application: received, session_update: received, cdr: received }),
});
export type SetupCheckView = z.infer<typeof setupCheckView>;

export const setupApplyBody = z
  .object({
    /** Set the URLs even though Cloudonix could not reach them (local testing). */
    allow_unreachable_urls: z.boolean().default(false),
  })
  .strict();
export type SetupApplyInput = z.infer<typeof setupApplyBody>;

/** POST /api/cloudonix/setup: the steps carried out, and the domain read back afterwards. */
export const setupApplyResult = z.object({
  applied: z.array(setupStepView),
  /** The domain read back after the changes matches what setup set. */
  verified: z.boolean(),
  after: setupCheckView,
});
export type SetupApplyResult = z.infer<typeof setupApplyResult>;
