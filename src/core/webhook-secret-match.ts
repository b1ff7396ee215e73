import { timingSafeEqual } from 'node:crypto';
// Digests first, so the comparison takes the same time whatever the lengths.
import { secretDigest as digest } from './constant-time.js';

/** A tenant's webhook secrets: the current one, and the one a rotation replaced while its grace period lasts. */
export interface WebhookSecrets {
  readonly current: string;
  /** `expiresAt` in epoch milliseconds; the secret is refused from that instant on. */
  readonly previous: { readonly secret: string; readonly expiresAt: number } | null;
}

/**
 * The secrets as they are compared: their digests, made once per cached tenant rather
 * than on every webhook (hashing the tenant's own secret again was half of the check's cost).
 */
export interface WebhookSecretDigests {
  readonly current: Buffer;
  readonly previous: { readonly digest: Buffer; readonly expiresAt: number } | null;
}

export type SecretMatch = 'current' | 'previous' | null;

export function digestWebhookSecrets(secrets: WebhookSecrets): WebhookSecretDigests {
  return {
    current: digest(secrets.current),
    previous: secrets.previous ? { digest: digest(secrets.previous.secret), expiresAt: secrets.previous.expiresAt } : null,
  };
}

/**
 * Which of the tenant's secrets one of the presented values is: the current one, the
 * previous one until it expires, or neither. Every comparison runs, in constant time.
 */
export function matchWebhookSecret(presented: readonly string[], secrets: WebhookSecretDigests, now: number): SecretMatch {
  let current = false;
  let previous = false;
  const inGrace = secrets.previous !== null && now < secrets.previous.expiresAt;
  for (const given of presented) {
    const d = digest(given);
    if (timingSafeEqual(d, secrets.current)) current = true;
    if (secrets.previous && timingSafeEqual(d, secrets.previous.digest) && inGrace) previous = true;
  }
  return current ? 'current' : previous ? 'previous' : null;
}
