import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { assertAcceptablePassword, checkPassword } from '../../src/core/password-policy.js';

describe('password policy', () => {
  it('refuses short passwords, saying how long they must be', () => {
    expect(checkPassword('Tr0ub4d&3')).toEqual({ kind: 'weak', message: 'must be at least 10 characters' });
  });

  it('refuses common passwords and their usual variations, with a hint', () => {
    for (const p of ['12345678901', 'password123', 'qwertyuiop', 'iloveyou2024', 'Password2024!', 'aaaaaaaaaaaa', 'abcdefghijk']) {
      const verdict = checkPassword(p);
      expect(verdict.kind, p).toBe('weak');
      if (verdict.kind === 'weak') expect(verdict.message).toMatch(/^is too easy to guess: /);
    }
  });

  it("refuses a password built on the person's own email, name or domain", () => {
    expect(checkPassword('acmevoice2024', []).kind).toBe('ok');
    expect(checkPassword('acmevoice2024', ['ops@acmevoice.com', 'Ops', 'acmevoice.cloudonix.net']).kind).toBe('weak');
  });

  it('accepts a few unrelated words', () => {
    expect(checkPassword('Orchid ladder 4 seasons')).toEqual({ kind: 'ok' });
    expect(checkPassword('correct horse battery staple')).toEqual({ kind: 'ok' });
  });

  it('assertAcceptablePassword throws a 422 naming the field', () => {
    try {
      assertAcceptablePassword('password123', [], 'password');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(422);
      expect((err as AppError).details).toEqual({ fields: { password: [expect.stringMatching(/too easy to guess/)] } });
    }
  });
});
