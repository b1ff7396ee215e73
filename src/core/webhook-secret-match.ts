import { createHash, timingSafeEqual } from 'node:crypto';

/** A tenant's webhook secrets: the current one, and the one a rotation replaced while its grace period lasts. */
export interface WebhookSecrets {
  readonly current: string;
  /** `expiresAt` in epoch milliseconds; the secret is refused from that instant on. */
  readonly previous: { readonly secret: string; readonly expiresAt: number } | null;
}

export type SecretMatch = 'current' | 'previous' | null;

// Digests first, so the comparison takes the same time whatever the lengths.
const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const same = (given: Buffer, expected: string) => timingSafeEqual(given, digest(expected));

/**
 * Which of the tenant's secrets one of the presented values is: the current one, the
 * previous one until it expires, or neither. Every comparison runs, in constant time.
 */
export function matchWebhookSecret(presented: readonly string[], secrets: WebhookSecrets, now: number): SecretMatch {
  let current = false;
  let previous = false;
  const inGrace = secrets.previous !== null && now < secrets.previous.expiresAt;
  for (const given of presented) {
    const d = digest(given);
    if (same(d, secrets.current)) current = true;
    if (secrets.previous && same(d, secrets.previous.secret) && inGrace) previous = true;
  }
  return current ? 'current' : previous ? 'previous' : null;
}
