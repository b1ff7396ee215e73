import { z } from 'zod';
import { providerField } from './voice-agent.js';
import './error-messages.js';

/**
 * A provider-account pool: agents that share one provider account whose concurrency
 * limit spans them all (a VAPI organisation allows so many concurrent calls across
 * all its assistants). Routing counts a call against the agent's own cap and its
 * pool's at once; a candidate whose pool is full is skipped as `pool_full`.
 */
export const poolNameField = z.string().trim().min(1, { message: 'is required' }).max(120, { message: 'must be at most 120 characters' });

export const poolLimitField = z
  .number({ message: 'must be a whole number between 1 and 10000' })
  .int({ message: 'must be a whole number' })
  .min(1, { message: 'must be between 1 and 10000' })
  .max(10_000, { message: 'must be between 1 and 10000' });

/** The provider whose account the pool stands for; null: any (agents of any provider may join). */
export const poolProviderField = providerField.nullable();

/** The pool an agent's calls also count against; null: none. */
export const poolIdField = z.number({ message: 'must be a provider pool id or null' }).int().positive().max(2_147_483_647).nullable();

export const providerPoolBody = z
  .object({
    name: poolNameField,
    provider: poolProviderField.default(null),
    max_concurrent_calls: poolLimitField,
  })
  .strict();
export type ProviderPoolInput = z.infer<typeof providerPoolBody>;

export const updateProviderPoolBody = z
  .object({ name: poolNameField.optional(), provider: poolProviderField.optional(), max_concurrent_calls: poolLimitField.optional() })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one field to change' });
export type UpdateProviderPoolInput = z.infer<typeof updateProviderPoolBody>;

export const providerPoolView = z.object({
  id: z.number().int(),
  name: z.string(),
  provider: z.string().nullable(),
  /** The provider's display name; null when the pool is for any provider. */
  provider_name: z.string().nullable(),
  max_concurrent_calls: z.number().int(),
  /** The agents in the pool, by name. */
  agents: z.array(z.object({ id: z.number().int(), name: z.string() })),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ProviderPoolView = z.infer<typeof providerPoolView>;
