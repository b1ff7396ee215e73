import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque bearer tokens: random, prefixed so a leaked one is recognisable in a
 * scanner, and stored only as a SHA-256 hash.
 */
export function newOpaqueToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
