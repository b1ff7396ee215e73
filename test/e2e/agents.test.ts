import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { screenshot, simulate } from './harness.js';
import { apiRequest, nav, signIn } from './page-helpers.js';

/**
 * The agents page on a busy day in Chromium: live calls against each agent's cap after
 * simulated calls fill one, never-tried agents told apart from healthy ones, disabling an
 * agent with live calls asks first, and an edited agent form asks before its changes are
 * thrown away (closing the dialog or leaving the page). Any console error fails the test.
 */
const admin = { name: 'Avery Agents', email: 'avery@example.com', password: 'Granite-Harbor-Lantern-58' };
const domain = 'agents.cloudonix.net';
const session = (n: number) => `e2e00000000000000000000000agt${String(n).padStart(3, '0')}`;

describe('sqlite: agents page occupancy, confirmations and unsaved changes', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Agents Co', domain } });
  let page: Page;
  let groupId = 0;
  let salesId = 0;

  const call = <T>(method: string, path: string, body?: unknown) => apiRequest<T>(page, suite.service.base, method, path, body);
  const row = (name: string) => page.getByRole('row').filter({ has: page.getByText(name, { exact: true }) });

  beforeAll(async () => {
    page = suite.page;
    await signIn(page, suite.service.base, admin.email, admin.password);
    const sales = await call<{ id: number }>('POST', '/api/voice-agents', { name: 'Sales bot', provider: 'vapi', service_value: '+12125559101', max_concurrent_calls: 2 });
    await call('POST', '/api/voice-agents', { name: 'Spare bot', provider: 'elevenlabs', service_value: '+12125559102', max_concurrent_calls: 3 });
    await call('POST', '/api/inbound-routing-rules', { pattern: '+1212*', target_type: 'agent', target_id: sales.id });
    salesId = sales.id;
    groupId = (await call<{ id: number }>('POST', '/api/agent-groups', { name: 'Front desk', strategy: 'round_robin', settings: {} })).id;
    await call('POST', `/api/agent-groups/${groupId}/members`, { agent_id: sales.id });
    const tenant = await call<{ webhook_secret: string }>('GET', '/api/tenant');
    const cx = (s: string) => ['--url', suite.service.base, '--domain', domain, '--secret', tenant.webhook_secret, '--session', s, '--to', '+12125550187'];
    // Two calls fill Sales bot (cap 2); their ends never come, so they keep their slots.
    simulate(['send', 'voice', ...cx(session(1))]);
    simulate(['send', 'voice', ...cx(session(2))]);
  });

  it('shows live calls against each cap, and never tried for an agent no call reached', async () => {
    await nav(page, 'Agents');
    await row('Sales bot').getByText('2 of 2 busy').waitFor({ timeout: 20_000 });
    await expect(row('Sales bot').getByRole('meter').getAttribute('aria-valuetext')).resolves.toBe('2 of 2 busy');
    await row('Sales bot').getByText('Healthy').waitFor();
    await row('Spare bot').getByText('0 of 3 busy').waitFor();
    await row('Spare bot').getByText('Never tried').waitFor();
    // Display names, not provider ids.
    await row('Spare bot').getByText('ElevenLabs', { exact: true }).waitFor();
    await screenshot(page, 'agents-occupancy');
  });

  it('asks before disabling an agent with live calls, naming how many, and says when it is done', async () => {
    await row('Sales bot').getByRole('switch', { name: 'Disable Sales bot' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disable Sales bot?' });
    await dialog.getByText('Sales bot has 2 live calls right now').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(row('Sales bot').getByRole('switch').getAttribute('aria-checked')).resolves.toBe('true');

    await row('Sales bot').getByRole('switch', { name: 'Disable Sales bot' }).click();
    await dialog.getByRole('button', { name: 'Disable agent' }).click();
    await row('Sales bot').getByRole('status').getByText('Disabled').waitFor();
    await expect(row('Sales bot').getByRole('switch').getAttribute('aria-checked')).resolves.toBe('false');
    // An idle agent is switched without a question.
    await row('Spare bot').getByRole('switch', { name: 'Disable Spare bot' }).click();
    await row('Spare bot').getByRole('status').getByText('Disabled').waitFor();
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('warns of a duplicate name in the form and asks before throwing away unsaved changes', async () => {
    await page.getByRole('button', { name: 'New agent' }).click();
    const form = page.getByRole('dialog', { name: 'New voice agent' });
    await form.getByLabel('Name', { exact: true }).fill('sales BOT');
    // The provider picker is searchable, by display name or another name people use.
    await form.getByRole('combobox', { name: 'Provider' }).click();
    await form.getByRole('combobox', { name: 'Provider' }).fill('11labs');
    await form.getByRole('option', { name: 'ElevenLabs' }).click();
    await form.getByLabel('Phone number at the provider').fill('+1 212 555 9102');
    await form.getByLabel('Maximum concurrent calls').focus();
    await form.getByText('Another agent is already named “Sales bot”').waitFor();
    await form.getByText('“Spare bot” already dials this number').waitFor();
    await form.getByText('Calls never wait').waitFor();

    // Cancel asks; Keep editing keeps the form and its values.
    await form.getByRole('button', { name: 'Cancel' }).click();
    const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
    await ask.getByRole('button', { name: 'Keep editing' }).click();
    await ask.waitFor({ state: 'hidden' });
    await expect(form.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('sales BOT');

    // Leaving the page (Back; the menu behind a modal form cannot be reached) asks too; Discard goes on.
    await page.evaluate(() => history.back());
    await ask.waitFor();
    await screenshot(page, 'agents-unsaved-changes');
    expect(new URL(page.url()).pathname).toBe('/agents');
    await ask.getByRole('button', { name: 'Discard changes' }).click();
    await page.waitForURL((url) => url.pathname !== '/agents');
    expect(await page.getByRole('dialog').count()).toBe(0);
  });

  it('shows the group filled on its page, and an inline edit says Saved or why not', async () => {
    // Sales bot back on (the test above disabled it): a group's capacity counts enabled members.
    await call('PATCH', `/api/voice-agents/${salesId}/toggle`);
    await page.goto(`${suite.service.base}/groups/${groupId}`);
    await page.getByRole('heading', { name: 'Front desk', level: 1 }).waitFor();
    await page.getByRole('meter', { name: 'Live calls of Sales bot' }).waitFor({ timeout: 20_000 });
    await expect(page.getByRole('meter', { name: 'Live calls of Sales bot' }).getAttribute('aria-valuetext')).resolves.toBe('2 of 2 busy');
    await expect(page.getByRole('meter', { name: 'Live calls of Front desk' }).getAttribute('aria-valuetext')).resolves.toBe('2 of 2 busy');
    const capacity = page.getByRole('spinbutton', { name: 'Capacity of Sales bot' });
    await capacity.fill('2');
    await capacity.press('Enter');
    await page.getByRole('status').getByText('Saved').waitFor();
    await capacity.fill('5000');
    await capacity.press('Enter');
    await page.getByRole('alert').getByText('Must be a whole number from 1 to 1000.').waitFor();
    await expect(capacity.inputValue()).resolves.toBe('2');
  });
});
