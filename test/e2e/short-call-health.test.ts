import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { voiceBody } from '../support/cloudonix.js';
import { browserSuite } from './browser-suite.js';
import { screenshot } from './harness.js';
import { apiAs, apiRequest, nav, signIn } from './page-helpers.js';

/**
 * Short-call health in Chromium: the settings form turns it on with its thresholds (and says
 * why it refuses a share out of range); after a surge of short answered calls arrives as
 * Cloudonix webhooks, the agents page says the agent is out because it answers and drops
 * calls, with the counts. Any console error fails the test.
 */
const admin = { name: 'Shay Short', email: 'shay@example.com', password: 'Cobalt-Orchard-Beacon-71' };
const domain = 'short.cloudonix.net';

describe('sqlite: an agent that answers and drops calls, in the admin UI', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Short Co', domain } });
  let page: Page;

  beforeAll(() => {
    page = suite.page;
  });

  it('turns short-call health on in settings, then shows why the agent is out of rotation', async () => {
    const base = suite.service.base;
    await signIn(page, base, admin.email, admin.password);
    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'Time zone, retention, call length and health' });
    await form.getByRole('switch', { name: 'Rest agents that answer and drop calls' }).click();
    await form.getByLabel('A short call lasts under (seconds)').fill('5');
    await form.getByLabel('Judge after at least (calls)').fill('3');
    await form.getByLabel('Window (minutes)').fill('10');
    await form.getByLabel('Share of short calls that rests it (%)').fill('5');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('must be a share from 0.1 to 1 (10% to 100%)').waitFor();
    await form.getByLabel('Share of short calls that rests it (%)').fill('60');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Saved').waitFor();
    await screenshot(page, 'short-call-settings');
    const tenant = await apiAs<{ webhook_secret: string; settings: { health: Record<string, unknown> } }>(page, base, '/api/tenant');
    expect(tenant.settings.health).toMatchObject({ short_calls_enabled: true, short_call_seconds: 5, short_call_min_calls: 3, short_call_window_minutes: 10, short_call_share: 0.6 });

    const agent = await apiRequest<{ id: number }>(page, base, 'POST', '/api/voice-agents', { name: 'Dropper bot', provider: 'vapi', service_value: '+12125550971' });
    await apiRequest(page, base, 'POST', '/api/inbound-routing-rules', { pattern: '*', target_type: 'agent', target_id: agent.id });
    // Three calls answered and dropped after 1–2 s, as Cloudonix reports them.
    const hook = (path: string, body: unknown) =>
      fetch(`${base}/api/voice/${path}/${domain}?token=${tenant.webhook_secret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const [i, billsec] of [1, 2, 1].entries()) {
      const session = `5c0a11ed${String(i).padStart(24, '0')}`;
      const voice = await hook('application', voiceBody(domain, session));
      expect(await voice.text()).toContain('<Dial');
      expect((await hook('session/cdr', { disposition: 'ANSWER', duration: billsec + 3, billsec, session: { token: session } })).status).toBe(200);
    }

    await nav(page, 'Agents');
    const row = page.getByRole('row').filter({ hasText: 'Dropper bot' });
    await row.getByText('Unhealthy').waitFor();
    await row.getByText('Out: answers and drops calls (3 of 3 under 5 s)').waitFor();
    await screenshot(page, 'short-call-agent-out');
    // On a phone, and in dark mode, the reason is still there to read.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByText('Out: answers and drops calls (3 of 3 under 5 s)').waitFor({ state: 'visible' });
    await screenshot(page, 'short-call-agent-out-phone-dark');
  });
});
