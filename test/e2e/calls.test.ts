import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { screenshot, simulate } from './harness.js';
import { apiRequest, nav, signIn } from './page-helpers.js';

/**
 * An operator's calls in Chromium: a live call opens its drawer, whose timeline moves as the
 * call does, and an admin ends a stale call there; the records say what each call was
 * (direction, outcome, a fallback call as Fallback with what the fallback did) and filter the
 * fallback and overflow calls. Any console error fails the test.
 */
const admin = { name: 'Cara Calls', email: 'cara@example.com', password: 'Copper-Meadow-Signal-73' };
const domain = 'calls.cloudonix.net';
const stale = 'e2e0000000000000000000000000stale';
const overflow = 'e2e000000000000000000000overflow';

describe('sqlite: live calls and call records', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Calls Co', domain } });
  let page: Page;
  let cx: (session: string) => string[];

  const call = <T>(method: string, path: string, body?: unknown) => apiRequest<T>(page, suite.service.base, method, path, body);

  beforeAll(async () => {
    page = suite.page;
    await signIn(page, suite.service.base, admin.email, admin.password);
    const agent = await call<{ id: number }>('POST', '/api/voice-agents', { name: 'Capped bot', provider: 'vapi', service_value: '+12125559000', max_concurrent_calls: 1 });
    await call('POST', '/api/inbound-routing-rules', { pattern: '+1212*', target_type: 'agent', target_id: agent.id });
    await call('PUT', '/api/tenant', { settings: { fallback: { type: 'message', message: 'Everyone is busy.' } } });
    const tenant = await call<{ webhook_secret: string }>('GET', '/api/tenant');
    cx = (session) => ['--url', suite.service.base, '--domain', domain, '--secret', tenant.webhook_secret, '--session', session, '--to', '+12125550187'];
    // The first call takes the agent's one slot and its end never comes; the second overflows to the fallback.
    simulate(['send', 'voice', ...cx(stale)]);
    simulate(['send', 'voice', ...cx(overflow)]);
  });

  it("opens a live call's drawer, follows its timeline and ends it after asking", async () => {
    await nav(page, 'Live calls');
    const row = page.locator(`tr[data-session="${stale}"]`);
    await row.getByText('Ringing').waitFor({ timeout: 20_000 });
    await expect(page.locator(`tr[data-session="${overflow}"]`).count()).resolves.toBe(0);
    await row.getByRole('button', { name: /Details of the call/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('heading', { name: 'Routing decision' }).waitFor();
    await drawer.getByText('Capped bot').first().waitFor();
    // The call moves on while the drawer is open: its timeline and status follow.
    simulate(['send', 'session', ...cx(stale)]);
    await drawer.getByText('Connected', { exact: true }).first().waitFor({ timeout: 20_000 });
    // No Dial callback came: the session update alone tells that the attempt was answered.
    await drawer.getByRole('list', { name: 'Attempts' }).getByText('Answered', { exact: true }).waitFor();
    await screenshot(page, 'calls-live-drawer');

    await drawer.getByRole('button', { name: 'End this call' }).click();
    const confirm = page.getByRole('dialog', { name: /End the call/ });
    await confirm.getByText('The call itself is not hung up at Cloudonix', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'End call' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await drawer.getByText('Ended by admin').first().waitFor();
    await expect(drawer.getByRole('button', { name: 'End this call' }).count()).resolves.toBe(0);
    await page.keyboard.press('Escape');
    await row.waitFor({ state: 'detached', timeout: 20_000 });
  });

  it('shows direction and outcome in the records, a fallback call as Fallback, and filters the fallback calls', async () => {
    await nav(page, 'Call records');
    await page.getByRole('columnheader', { name: 'Direction' }).waitFor();
    const fallback = page.locator(`tr[data-session="${overflow}"]`);
    await fallback.getByText('Fallback', { exact: true }).waitFor();
    await fallback.getByText('Overflow → fallback').waitFor();
    await fallback.getByText('Fallback: message').waitFor();
    await fallback.getByText('Inbound').waitFor();
    expect(await fallback.innerText()).not.toMatch(/Failed|None/);
    const ended = page.locator(`tr[data-session="${stale}"]`);
    await ended.getByText('Ended by admin').waitFor();
    await ended.getByText('Capped bot').waitFor();
    await screenshot(page, 'calls-records');

    await page.getByLabel('Outcome').selectOption({ label: 'Fallback or overflow' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/outcome=overflow_fallback%2Cno_rule|outcome=overflow_fallback,no_rule/);
    await ended.waitFor({ state: 'detached' });
    await fallback.waitFor();
  });
});
