import { hash, timingSafeEqual } from 'node:crypto';

/**
 * A secret's SHA-256, as secrets are compared: 32 bytes whatever its length. The one-shot hash
 * makes no Hash object: 0.9 µs a digest here against 1.7 for createHash (the webhooks' secret check
 * makes one or two on every request).
 */
export const secretDigest = (s: string): Buffer => hash('sha256', s, 'buffer');

/**
 * Whether a presented secret equals the expected one, in time that depends on
 * neither where they differ nor their lengths (both are hashed to 32 bytes first).
 */
export function secretsEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(secretDigest(given), secretDigest(expected));
}
