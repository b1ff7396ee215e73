import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskSecrets, maskUrlSecrets } from '../../src/core/mask.js';
import { newOpaqueToken, sha256Hex } from '../../src/core/opaque-token.js';
import { hashPassword, verifyPassword } from '../../src/core/password-hash.js';
import { createSecretBox, SecretBoxError } from '../../src/core/secret-box.js';

describe('secret box (AES-256-GCM)', () => {
  const box = createSecretBox(Buffer.alloc(32, 1));

  it('opens what it sealed, for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => box.open(box.seal(s)) === s));
  });

  it('seals the same plaintext differently every time (fresh nonce)', () => {
    const a = box.seal('same password');
    const b = box.seal('same password');
    expect(a).not.toBe(b);
    expect(a).not.toContain('same password');
  });

  it('refuses a wrong key or a tampered value loudly', () => {
    const sealed = box.seal('secret');
    expect(() => createSecretBox(Buffer.alloc(32, 2)).open(sealed)).toThrow(SecretBoxError);
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow(SecretBoxError);
    expect(() => box.open('plaintext')).toThrow(SecretBoxError);
  });

  it('fingerprints the key without revealing it', () => {
    expect(box.fingerprint).toBe(createSecretBox(Buffer.alloc(32, 1)).fingerprint);
    expect(box.fingerprint).not.toBe(createSecretBox(Buffer.alloc(32, 2)).fingerprint);
    expect(box.fingerprint).not.toContain(Buffer.alloc(32, 1).toString('hex'));
  });
});

describe('password hashing (scrypt)', () => {
  it('verifies the right password only, with a fresh salt per hash', async () => {
    const h1 = await hashPassword('correct horse');
    const h2 = await hashPassword('correct horse');
    expect(h1).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(h1).not.toBe(h2);
    expect(await verifyPassword('correct horse', h1)).toBe(true);
    expect(await verifyPassword('correct horsE', h1)).toBe(false);
    expect(await verifyPassword('correct horse', 'garbage')).toBe(false);
  });
});

describe('opaque tokens', () => {
  it('are random, prefixed, and hashed to 64 hex characters', () => {
    const a = newOpaqueToken('vlb');
    expect(a).toMatch(/^vlb_[A-Za-z0-9_-]{43}$/);
    expect(newOpaqueToken('vlb')).not.toBe(a);
    expect(sha256Hex(a)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('masking', () => {
  it('masks secret-looking keys at any depth, leaving flags and the rest', () => {
    expect(maskSecrets({ name: 'a', password: 'p', nested: { api_key: 'k', list: [{ token: 't' }] }, has_password: true })).toEqual({
      name: 'a',
      password: '********',
      nested: { api_key: '********', list: [{ token: '********' }] },
      has_password: true,
    });
  });

  it('masks token query parameters in URLs', () => {
    expect(maskUrlSecrets('/api/voice/application/x?From=1&token=abc&To=2')).toBe('/api/voice/application/x?From=1&token=********&To=2');
    expect(maskUrlSecrets('/a?TOKEN=abc')).toBe('/a?TOKEN=********');
  });
});
