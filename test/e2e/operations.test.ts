import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleWatch, ensureBuilt, launchBrowser, screenshot, startService, type Service } from './harness.js';
import { nav } from './page-helpers.js';

/**
 * The real service started as a first-time user would (`npm start`, no PUBLIC_URL, no
 * METRICS_TOKEN): it says at start-up that PUBLIC_URL is unset, Settings tells the admin the
 * webhook URLs are a guess, and /metrics is not served. Any console error fails the test.
 */
const admin = { name: 'Olga Operator', email: 'olga@example.com', password: 'Copper-Meadow-Kettle-73' };
const domain = 'operations.cloudonix.net';

let service: Service;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const watch = new ConsoleWatch();

describe('sqlite: a first start without PUBLIC_URL, in the admin UI', () => {
  let setupError: unknown = null;
  beforeAll(async () => {
    try {
      ensureBuilt();
      service = await startService();
      const reg = await fetch(`${service.base}/api/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: admin.name, email: admin.email, password: admin.password, password_confirmation: admin.password, tenant_name: 'Operations Co', domain }),
      });
      if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${await reg.text()}`);
      browser = await launchBrowser();
      context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      watch.tolerated = [/WebSocket connection to '.*\/ws\?.*' failed/];
      watch.attach(context);
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
    } catch (err) {
      setupError = err;
    }
  }, 600_000);

  beforeEach(() => {
    if (setupError) throw setupError;
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  afterEach(() => {
    expect(watch.errors, `server log:\n${service?.output().slice(-2000) ?? ''}`).toEqual([]);
  });

  it('Settings warns the admin that the webhook URLs are a guess while PUBLIC_URL is unset; start-up said so; /metrics is not served', async () => {
    expect(service.output()).toContain('PUBLIC_URL is unset');
    expect((await fetch(`${service.base}/metrics`)).status).toBe(404);

    await page.goto(`${service.base}/login`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
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
