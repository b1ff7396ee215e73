import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerTenant, uniqueSuffix } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { startMailCatcher, type MailCatcher } from '../support/mail-catcher.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PUBLIC_URL = 'https://voice-lb.example.test';
const ATTACKER = 'evil.example';
let catcher: MailCatcher;
beforeAll(async () => {
  catcher = await startMailCatcher();
});
afterAll(() => catcher.close());

const mailsTo = (email: string) => catcher.to(email);

const forgot = (t: TestApp, email: string) =>
  t.request({ method: 'POST', url: '/api/auth/forgot-password', remoteAddress: '203.0.113.77', headers: { host: ATTACKER, 'x-forwarded-host': ATTACKER, 'x-forwarded-proto': 'http' }, payload: { email } });

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: a forged Host on "forgot password"`, () => {
    let t: TestApp;
    beforeAll(async () => {
      // TRUST_PROXY on: X-Forwarded-Host is believed for the request's own address, yet must not reach the mail.
      t = await createTestApp(dialect, { SMTP_URL: catcher.url, PUBLIC_URL, TRUST_PROXY: 'true' });
    });
    afterAll(async () => t?.close());

    it('the emailed reset link starts with PUBLIC_URL, never with a forged Host or X-Forwarded-Host', async () => {
      const a = await registerTenant(t, `hostreset${uniqueSuffix()}`);
      expect((await forgot(t, a.analyst.email)).statusCode).toBe(202);
      const mail = await vi.waitFor(
        () => {
          const found = mailsTo(a.analyst.email);
          if (found.length === 0) throw new Error('no mail yet');
          return found[0]!;
        },
        { timeout: 10_000, interval: 50 },
      );
      const text = `${mail.text ?? ''}${typeof mail.html === 'string' ? mail.html : ''}`;
      expect(text).toContain(`${PUBLIC_URL}/`);
      expect(text).not.toContain(ATTACKER);
    });
  });
}

describe('sqlite: "forgot password" without PUBLIC_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, { SMTP_URL: catcher.url });
  });
  afterAll(async () => t?.close());

  it('sends no reset link at all rather than one built from the request’s Host', async () => {
    const a = await registerTenant(t, `nourl${uniqueSuffix()}`);
    expect((await forgot(t, a.analyst.email)).statusCode).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    expect(mailsTo(a.analyst.email)).toEqual([]);
    expect(t.logs.some((l) => l.includes('password reset') && l.includes('PUBLIC_URL'))).toBe(true);
  });
});
