import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { screenshot, type Service } from './harness.js';
import { nav, signIn } from './page-helpers.js';

/**
 * The real service started as a first-time user would (`npm start`, no PUBLIC_URL, no
 * METRICS_TOKEN, on 127.0.0.1): start-up has no PUBLIC_URL warning (only this machine, or a tunnel on
 * it, can call it; the first forwarded webhook logs its own), Settings tells the admin the webhook URLs
 * are a guess, and /metrics is not served. Any console error fails the test.
 */
const admin = { name: 'Olga Operator', email: 'olga@example.com', password: 'Copper-Meadow-Kettle-73' };
const domain = 'operations.cloudonix.net';

let service: Service;
let page: Page;

describe('sqlite: a first start without PUBLIC_URL, in the admin UI', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Operations Co', domain }, ignoreWebSocket: true });
  beforeEach(() => {
    ({ service, page } = suite);
  });

  it('Settings warns the admin that the webhook URLs are a guess while PUBLIC_URL is unset; start-up on loopback did not; /metrics is not served', async () => {
    expect(service.output()).not.toContain('PUBLIC_URL is unset');
    expect((await fetch(`${service.base}/metrics`)).status).toBe(404);

    await signIn(page, service.base, admin.email, admin.password);
    await nav(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    const warning = page.getByRole('region', { name: 'Webhook URL warning' });
    await warning.getByRole('heading', { name: 'These webhook URLs are a guess' }).waitFor();
    const words = await warning.innerText();
    expect(words).toContain('PUBLIC_URL is not set');
    expect(words).toContain(service.base);
    await screenshot(page, 'settings-public-url-warning');
  });
});
