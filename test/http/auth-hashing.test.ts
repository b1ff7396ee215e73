import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/core/password-hash.js';
import { createPasswordHasher } from '../../src/services/password-hasher.js';
import { registerTenant, uniqueSuffix } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: password hashing beyond its bound`, () => {
    let t: TestApp;
    beforeAll(async () => {
      // One hash in progress and one waiting; every other sign-in at that moment is refused.
      t = await createTestApp(dialect, { PASSWORD_HASH_QUEUE: '1' });
    });
    afterAll(async () => t?.close());

    it('refuses the sign-ins and registrations it cannot queue with 429 and Retry-After, never a 5xx, and recovers', async () => {
      const a = await registerTenant(t);
      const signIns = Array.from({ length: 8 }, (_, i) =>
        t.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.admin.email, password: i % 2 ? a.admin.password : 'wrong password' }, remoteAddress: `10.9.0.${i + 1}` }),
      );
      const registrations = Array.from({ length: 3 }, () => {
        const s = uniqueSuffix();
        const password = `flood-pass-${s}`;
        return t.request({
          method: 'POST',
          url: '/api/auth/register',
          payload: { name: 'Flood', email: `flood-${s}@flood.test`, password, password_confirmation: password, tenant_name: 'Flood', domain: `flood-${s}.cloudonix.net` },
        });
      });
      const answers = await Promise.all([...signIns, ...registrations]);
      const statuses = answers.map((r) => r.statusCode);
      expect(statuses.every((s) => [200, 201, 401, 429].includes(s)), `statuses: ${statuses.join(' ')}`).toBe(true);
      const refused = answers.filter((r) => r.statusCode === 429);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBeLessThan(answers.length);
      for (const r of refused) {
        expect(r.json().error.code).toBe('rate_limited');
        expect(r.json().error.message).toContain('sign-ins are being checked');
        expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      // Once the burst is over, signing in works again.
      expect((await t.request({ method: 'POST', url: '/api/auth/login', payload: { email: a.admin.email, password: a.admin.password } })).statusCode).toBe(200);
    });
  });
}

describe('the password hashing thread', () => {
  const hasher = createPasswordHasher({ worker: true, queueLimit: 0 });
  afterAll(() => hasher.close());

  it('keeps the stored format: its hashes verify on the threadpool and the threadpool’s verify on it', async () => {
    const pooled = await hasher.hash('correct horse');
    expect(pooled).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse', pooled)).toBe(true);
    const plain = await hashPassword('battery staple');
    expect(await hasher.verify('battery staple', plain)).toBe(true);
    expect(await hasher.verify('battery stapler', plain)).toBe(false);
    expect(await hasher.verify('battery staple', 'garbage')).toBe(false);
  });

  it('refuses a second hash at once when nothing may wait', async () => {
    const first = hasher.hash('one at a time');
    await expect(hasher.hash('too many')).rejects.toMatchObject({ code: 'rate_limited', headers: { 'retry-after': expect.stringMatching(/^\d+$/) } });
    await expect(first).resolves.toMatch(/^scrypt\$/);
  });

  it('starts no hash while the event loop is saturated, and starts it once the loop has room', async () => {
    const gated = createPasswordHasher({ worker: true, queueLimit: 2 });
    try {
      await gated.hash('warm up');
      // Keep this thread busy for 1.5 s in 20 ms slices, as routing at capacity would; timers still fire between slices.
      const busyUntil = Date.now() + 1500;
      const spinning = new Promise<void>((resolve) => {
        const spin = () => {
          const end = Math.min(busyUntil, Date.now() + 20);
          while (Date.now() < end);
          if (Date.now() < busyUntil) setImmediate(spin);
          else resolve();
        };
        spin();
      });
      const hashedAt = new Promise<number>((resolve, reject) => {
        setTimeout(() => gated.hash('while busy').then(() => resolve(Date.now()), reject), 600);
      });
      await spinning;
      expect(await hashedAt).toBeGreaterThanOrEqual(busyUntil);
    } finally {
      await gated.close();
    }
  });

  it('under load (event loop 70% busy) lets a burst of sign-ins through, then keeps hashing to its share: the rest wait, then 429', async () => {
    const shared = createPasswordHasher({ worker: true, queueLimit: 30 });
    try {
      await shared.hash('warm up');
      // 14 ms of every 20 busy for 7 s, as routing under load, not at capacity, would keep it.
      const busyUntil = Date.now() + 7000;
      const spinning = new Promise<void>((resolve) => {
        const spin = () => {
          const end = Date.now() + 14;
          while (Date.now() < end);
          if (Date.now() < busyUntil) setTimeout(spin, 6);
          else resolve();
        };
        spin();
      });
      await new Promise((resolve) => setTimeout(resolve, 600)); // the loop's load is sampled every 250 ms
      const results = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => shared.hash(`flood ${i}`)));
      await spinning;
      const hashed = results.filter((r) => r.status === 'fulfilled').length;
      const refused = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'rate_limited').length;
      // Unlimited, 24 hashes take about 24 × 150 ms = 3.6 s and all would pass within the 5 s a sign-in may wait.
      expect(hashed).toBeGreaterThanOrEqual(1); // at least the first (a slow host makes one hash eat the burst)
      expect(refused).toBeGreaterThanOrEqual(6);
      expect(hashed + refused).toBe(24);
    } finally {
      await shared.close();
    }
  }, 20_000);

  it.runIf(existsSync('/proc/thread-self'))('runs at a lower priority than the event loop (nice 10, this thread only)', async () => {
    const niceOf = (task: string) => Number(readFileSync(`/proc/self/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]);
    const hashing = hasher.hash('watch me');
    const nices = readdirSync('/proc/self/task').map(niceOf);
    await hashing;
    expect(nices).toContain(10);
    expect(niceOf(String(process.pid))).toBe(0);
  });
});
