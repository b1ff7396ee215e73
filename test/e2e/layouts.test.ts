import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite, type BrowserSuite } from './browser-suite.js';
import { screenshot, simulate } from './harness.js';
import { apiAs, signIn } from './page-helpers.js';

/**
 * The console's frames in Chromium: the dark scheme follows the system setting, a phone
 * reaches every section through the menu sheet, and a tablet shows call records without
 * widening the page. Any console error fails the test.
 */
const admin = { name: 'Lee Layout', email: 'lee@example.com', password: 'layout-pass-1' };
const domain = 'layouts.cloudonix.net';

let suite: BrowserSuite;

/** The page's background as sRGB bytes: whatever the CSS wrote (oklch, hex), a canvas turns it into pixels. */
function backgroundRgb(page: Page): Promise<[number, number, number]> {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = getComputedStyle(document.documentElement).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    return [r!, g!, b!];
  });
}

const brightness = ([r, g, b]: [number, number, number]) => (r + g + b) / 3;

/** A phone or tablet page of a signed-in admin. */
async function signedInAt(width: number, height: number): Promise<Page> {
  const page = await suite.newPage({ viewport: { width, height } });
  await signIn(page, suite.service.base, admin.email, admin.password);
  return page;
}

describe('sqlite: layouts and colour schemes', () => {
  suite = browserSuite({
    firstTenant: { admin, tenantName: 'Layout Labs', domain },
    context: { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' },
  });

  beforeAll(async () => {
    // An agent with a long name behind a catch-all rule and two finished calls, so the records table has full rows.
    const page = suite.page;
    await signIn(page, suite.service.base, admin.email, admin.password);
    const token = await page.evaluate(() => localStorage.getItem('vlb.token'));
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${suite.service.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token ?? ''}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as { id: number };
    };
    const agent = await post('/api/voice-agents', { name: 'After-hours receptionist', provider: 'vapi', service_value: '+12125550901', max_concurrent_calls: 2 });
    await post('/api/inbound-routing-rules', { pattern: '*', target_type: 'agent', target_id: agent.id });
    const tenant = await apiAs<{ webhook_secret: string }>(page, suite.service.base, '/api/tenant');
    for (const outcome of ['completed', 'busy']) {
      simulate(['flow', '--url', suite.service.base, '--domain', domain, '--secret', tenant.webhook_secret, '--outcome', outcome, '--to', '+12125550187']);
    }
  });

  it('the dark scheme follows the system setting: dark page, light text, from the first paint', async () => {
    const page = suite.page;
    await page.goto(`${suite.service.base}/`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await screenshot(page, 'layouts-dashboard-dark');
    expect(brightness(await backgroundRgb(page))).toBeLessThan(40);
    const text = await page.getByRole('heading', { name: 'Dashboard' }).evaluate((h) => getComputedStyle(h).color);
    expect(text).not.toBe('rgb(15, 23, 42)');

    const light = await suite.newPage({ colorScheme: 'light' });
    await light.goto(`${suite.service.base}/login`);
    await light.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(brightness(await backgroundRgb(light))).toBeGreaterThan(230);
  });

  it('on a phone the menu button opens the navigation as a sheet; Escape closes it and a link in it navigates', async () => {
    const page = await signedInAt(390, 844);
    await expect(page.locator('nav[aria-label="Main"]:visible').count()).resolves.toBe(0);
    const menu = page.getByRole('button', { name: 'Menu', exact: true });
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');

    await menu.click();
    const sheet = page.getByRole('dialog', { name: 'Menu' });
    await sheet.waitFor();
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true');
    // Focus stays in the sheet: tabbing past its last link comes back to its first control.
    for (let i = 0; i < 14; i++) await page.keyboard.press('Tab');
    await expect(sheet.evaluate((d) => d.contains(document.activeElement))).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    await expect(menu.getAttribute('aria-expanded')).resolves.toBe('false');
    await expect(menu.evaluate((b) => b === document.activeElement)).resolves.toBe(true);

    await menu.press('Enter');
    await sheet.getByRole('link', { name: 'Call records' }).click();
    await page.getByRole('heading', { name: 'Call records', level: 1 }).waitFor();
    await sheet.waitFor({ state: 'hidden' });
    expect(new URL(page.url()).pathname).toBe('/call-records');
    await page.locator('tbody tr').first().waitFor();
    await screenshot(page, 'layouts-records-phone');
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);

    // The skip link is the first stop for a keyboard and lands on the page's content.
    await page.reload();
    await page.locator('tbody tr').first().waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip.evaluate((a) => a === document.activeElement)).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  });

  it('on a tablet the call records fit the page: it does not scroll sideways, nor does the table cut a column', async () => {
    const page = await signedInAt(768, 1024);
    await page.goto(`${suite.service.base}/call-records`);
    await page.locator('tbody tr').first().getByText('After-hours receptionist').waitFor();
    await screenshot(page, 'layouts-records-tablet');
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
    // A table wider than its card becomes a sideways-scrolling region; this one shows every column it keeps at this width.
    await expect(page.getByRole('region', { name: /scrolls sideways/ }).count()).resolves.toBe(0);
    await page.getByRole('columnheader', { name: /Outcome/ }).waitFor();
  });
});
