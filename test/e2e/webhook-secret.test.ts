import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TenantView } from '../../src/core/schemas/tenant.js';
import { browserSuite } from './browser-suite.js';
import { screenshot, type Service } from './harness.js';
import { apiAs, nav, signIn } from './page-helpers.js';

/**
 * Rotating the webhook secret in a real browser against the real service: the admin sets
 * how long the old secret keeps working, rotates, and sees until when (in local time) the
 * previous secret is still accepted; Cloudonix requests with it are taken until the admin
 * stops accepting it. Any console error fails the test.
 */
const admin = { name: 'Rita Rotator', email: 'rita@example.com', password: 'Violet-Harbour-Lantern-58' };
const domain = 'rotate.cloudonix.net';

let service: Service;
let page: Page;

const dialog = () => page.getByRole('dialog');
const api = <T>(path: string) => apiAs<T>(page, service.base, path);
const voiceWith = (secret: string) =>
  fetch(`${service.base}/api/voice/application/${domain}?token=${encodeURIComponent(secret)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ CallSid: 'e2e-rotate', Session: 'e2e-rotate', From: '+14155550123', To: '+12125550187', Domain: domain }),
  }).then((r) => r.status);

describe('sqlite: webhook secret rotation in the admin UI', () => {
  // The real-time channel is not what this suite is about.
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Rotate Co', domain }, ignoreWebSocket: true });
  beforeEach(() => {
    ({ service, page } = suite);
  });

  it('sets the grace period, rotates, and sees until when the previous secret still works; stopping it refuses the old secret', async () => {
    await signIn(page, service.base, admin.email, admin.password);
    await nav(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const before = await api<TenantView>('/api/tenant');
    const oldSecret = before.webhook_secret!;
    // The secret is masked until asked for, and nothing is in a grace period yet.
    await expect(page.getByText(oldSecret, { exact: false }).count()).resolves.toBe(0);
    await expect(page.getByRole('status', { name: 'Previous webhook secret' }).count()).resolves.toBe(0);

    const security = page.getByRole('form', { name: 'Webhook security' });
    await security.getByLabel('Old secret keeps working for (hours)').fill('48');
    await security.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => (await api<TenantView>('/api/tenant')).settings.webhook_security.rotation_grace_hours).toBe(48);

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await dialog().getByText('The current secret keeps working for 48 hours').waitFor();
    const rotatedAt = Date.now();
    await dialog().getByRole('button', { name: 'Rotate now' }).click();
    const notice = page.getByRole('status', { name: 'Previous webhook secret' });
    await notice.waitFor();

    const after = await api<TenantView>('/api/tenant');
    expect(after.webhook_secret).not.toBe(oldSecret);
    const expiresAt = after.previous_webhook_secret_expires_at!;
    expect(Math.abs(Date.parse(expiresAt) - (rotatedAt + 48 * 3_600_000))).toBeLessThan(60_000);
    // Shown in the browser's local time, as every time in the UI.
    const local = await page.evaluate((iso) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso)), expiresAt);
    await notice.getByText(`The previous secret still works until ${local}.`).waitFor();
    expect(await notice.locator('time').getAttribute('datetime')).toBe(expiresAt);
    await page.getByText('the old secret keeps working meanwhile').waitFor();
    await expect(page.getByText(after.webhook_secret!, { exact: false }).count()).resolves.toBe(0);
    await screenshot(page, 'webhook-secret-grace-period');

    await notice.getByText('No webhook has used the previous secret since the rotation.').waitFor();

    // Cloudonix requests carrying either secret are taken during the grace period, and Settings says the old one is still in use.
    expect(await voiceWith(oldSecret)).toBe(200);
    expect(await voiceWith(after.webhook_secret!)).toBe(200);
    await page.reload();
    await notice.getByText(/^A webhook last used the previous secret at /).waitFor();
    const usedAt = (await api<TenantView>('/api/tenant')).previous_webhook_secret_last_used_at!;
    expect(Math.abs(Date.parse(usedAt) - Date.now())).toBeLessThan(60_000);
    expect(await notice.locator('[data-previous-secret-use] time').getAttribute('datetime')).toBe(usedAt);

    await notice.getByRole('button', { name: 'Stop accepting it now' }).click();
    await dialog().getByRole('button', { name: 'Stop accepting it' }).click();
    await notice.waitFor({ state: 'detached' });
    expect((await api<TenantView>('/api/tenant')).previous_webhook_secret_expires_at).toBeNull();
    expect(await suite.watch.expecting([/status of 401/], () => voiceWith(oldSecret))).toBe(401);
    expect(await voiceWith(after.webhook_secret!)).toBe(200);
  });
});
