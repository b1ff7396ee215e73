import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashing with scrypt. The stored form carries its own parameters
 * (`scrypt$N$r$p$salt$hash`) so they can be raised later without invalidating
 * existing hashes. Where the key is derived is the caller's choice (`DeriveKey`):
 * by default on libuv's threadpool; the sign-in path uses a bounded, low-priority
 * thread of its own (services/password-hasher.ts) with the same format.
 */
const N = 2 ** 15;
const R = 8;
const P = 1;
export const KEY_LENGTH = 64;

export interface ScryptParams {
  n: number;
  r: number;
  p: number;
}

/** Derives KEY_LENGTH bytes from the password and salt with these parameters. */
export type DeriveKey = (password: string, salt: Buffer, params: ScryptParams) => Promise<Buffer>;

/** scrypt needs 128·N·r bytes; the default cap (32 MiB) is exactly too small for N=2^15, r=8. */
export function scryptOptions({ n, r, p }: ScryptParams): ScryptOptions {
  return { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 };
}

export const deriveOnThreadpool: DeriveKey = (password, salt, params) =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, scryptOptions(params), (err, key) => (err ? reject(err) : resolve(key)));
  });

export async function hashPassword(password: string, derive: DeriveKey = deriveOnThreadpool): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { n: N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string, derive: DeriveKey = deriveOnThreadpool): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const expected = Buffer.from(parts[5] as string, 'base64');
  const key = await derive(password, Buffer.from(parts[4] as string, 'base64'), { n, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Stored instead of a hash when a user must set a password by a link (a forced reset, a tenant the operator created): nothing verifies against it. */
export const NO_PASSWORD = 'reset-required';

/** A hash to verify against when the user does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}
