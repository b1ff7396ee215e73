import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { screenshot, simulate } from './harness.js';
import { apiRequest, nav, signIn } from './page-helpers.js';

/**
 * The dashboard on a busy day in Chromium: simulated calls fill an agent to its cap and the
 * occupancy bars say so as calls arrive (live events, no reload); the share of today's calls
 * that overflowed to the next agent or went to the fallback, with the reason; today charted
 * per hour. Any console error fails the test.
 */
const admin = { name: 'Dana Dashboard', email: 'dana@example.com', password: 'Copper-Meadow-Signal-74' };
const domain = 'dash.cloudonix.net';
const session = (n: number) => `e2e0000000000000000000000dash${String(n).padStart(3, '0')}`;

describe('sqlite: dashboard occupancy, overflow and hourly chart', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Dash Co', domain } });
  let page: Page;
  let cx: (session: string) => string[];

  const call = <T>(method: string, path: string, body?: unknown) => apiRequest<T>(page, suite.service.base, method, path, body);
  const row = (name: string) => page.getByTestId('occupancy-row').filter({ has: page.getByRole('link', { name, exact: true }) });

  beforeAll(async () => {
    page = suite.page;
    await signIn(page, suite.service.base, admin.email, admin.password);
    const sales = await call<{ id: number }>('POST', '/api/voice-agents', { name: 'Sales bot', provider: 'vapi', service_value: '+12125559001', max_concurrent_calls: 2 });
    const support = await call<{ id: number }>('POST', '/api/voice-agents', { name: 'Support bot', provider: 'vapi', service_value: '+12125559002', max_concurrent_calls: 1 });
    const group = await call<{ id: number }>('POST', '/api/agent-groups', { name: 'Front desk', strategy: 'priority', settings: {} });
    await call('POST', `/api/agent-groups/${group.id}/members`, { agent_id: sales.id, priority: 1 });
    await call('POST', `/api/agent-groups/${group.id}/members`, { agent_id: support.id, priority: 2 });
    await call('POST', '/api/inbound-routing-rules', { pattern: '+1212*', target_type: 'group', target_id: group.id });
    await call('PUT', '/api/tenant', { settings: { fallback: { type: 'message', message: 'Everyone is busy.' } } });
    const tenant = await call<{ webhook_secret: string }>('GET', '/api/tenant');
    cx = (s) => ['--url', suite.service.base, '--domain', domain, '--secret', tenant.webhook_secret, '--session', s, '--to', '+12125550187'];
    // Two calls fill Sales bot (cap 2); their ends never come, so they keep their slots.
    simulate(['send', 'voice', ...cx(session(1))]);
    simulate(['send', 'voice', ...cx(session(2))]);
  });

  it('shows an agent filled to its cap, and the bars follow new calls live', async () => {
    await nav(page, 'Dashboard');
    await row('Sales bot').getByText('2 of 2 busy').waitFor({ timeout: 20_000 });
    await row('Sales bot').getByText('Full', { exact: true }).waitFor();
    await expect(row('Sales bot').getByRole('meter').getAttribute('aria-valuetext')).resolves.toBe('2 of 2 busy');
    await row('Support bot').getByText('0 of 1 busy').waitFor();
    // The third call overflows past the full Sales bot to Support bot: the page follows without a reload.
    simulate(['send', 'voice', ...cx(session(3))]);
    await row('Support bot').getByText('1 of 1 busy').waitFor({ timeout: 20_000 });
    await row('Front desk').getByText('3 of 3 busy').waitFor();
    await page.getByText('2 of 2 agents at their cap: new calls go to the next agent').waitFor();
  });

  it("shows the share of today's calls that overflowed and went to the fallback, with the reason", async () => {
    // Every member full: the fourth call goes to the fallback (every agent at its cap).
    simulate(['send', 'voice', ...cx(session(4))]);
    await page.getByRole('group', { name: 'Period' }).getByRole('button', { name: 'Today' }).click();
    await page.waitForURL(/days=1/);
    const card = page.getByRole('region', { name: 'Overflow and fallback' });
    await card.getByTestId('overflow-share').getByText('25%').waitFor({ timeout: 20_000 });
    await card.getByTestId('fallback-share').getByText('25%').waitFor();
    await card.getByText('Of 4 calls, today').waitFor();
    const reasons = card.getByTestId('fallback-reasons');
    await reasons.getByText('Every agent at its cap').waitFor();
    expect(await reasons.innerText()).toMatch(/1 · 25%/);
  });

  it('charts today per hour', async () => {
    const chart = page.locator('figure', { has: page.getByRole('heading', { name: 'Calls per hour' }) });
    await chart.locator('svg.recharts-surface').first().waitFor();
    // The tenant's zone is UTC (the default): the four calls are in this UTC hour, one bar of many.
    const hour = `${String(new Date().getUTCHours()).padStart(2, '0')}:00`;
    await chart.getByText(new RegExp(`per hour in UTC; the busiest hour was .*, ${hour} with 4\\.`)).waitFor({ state: 'attached' });
    if (hour !== '00:00') expect(await chart.locator('.recharts-xAxis .recharts-cartesian-axis-tick').count()).toBeGreaterThan(1);
    await expect(page.getByRole('heading', { name: 'Calls per day' }).count()).resolves.toBe(0);
    await screenshot(page, 'dashboard-today');
    // Seven days are charted per day again.
    await page.getByRole('group', { name: 'Period' }).getByRole('button', { name: '7 days' }).click();
    await page.getByRole('heading', { name: 'Calls per day' }).waitFor();
  });

  it('fits a phone in the dark scheme: occupancy and shares readable, nothing cut', async () => {
    const phone = await suite.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    await signIn(phone, suite.service.base, admin.email, admin.password);
    await phone.goto(`${suite.service.base}/?days=1`);
    await phone.getByTestId('occupancy-row').filter({ hasText: 'Sales bot' }).getByText('2 of 2 busy').waitFor();
    await phone.getByRole('region', { name: 'Overflow and fallback' }).getByText('Every agent at its cap').waitFor();
    // No sideways scrolling: the period choices wrap instead.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'dashboard-phone-dark');
  });
});
