import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM encryption of small secrets (webhook secrets, agent credentials)
 * with a fresh 96-bit nonce per value. Stored form: `v1:<nonce>:<tag>:<ciphertext>`
 * in base64url, so equal plaintexts never produce equal ciphertexts.
 */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** A value derived from the key that proves which key sealed the data, without revealing it. */
  readonly fingerprint: string;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new SecretBoxError('the key must be 32 bytes');
  return {
    fingerprint: createHash('sha256').update('voice-lb key check').update(key).digest('hex').slice(0, 32),
    seal(plaintext) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', nonce, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join(':');
    },
    open(sealed) {
      const parts = sealed.split(':');
      if (parts.length !== 4 || parts[0] !== 'v1') throw new SecretBoxError('not a sealed value');
      const [nonce, tag, body] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce);
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('cannot decrypt: wrong APP_KEY or corrupted value');
      }
    },
  };
}
