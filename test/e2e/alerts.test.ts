import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { dialedService, voiceBody } from '../support/cloudonix.js';
import { browserSuite } from './browser-suite.js';
import { screenshot } from './harness.js';
import { apiAs, apiRequest, nav, signIn } from './page-helpers.js';

/**
 * Alerts in Chromium: the settings form refuses a short signing secret and saves the
 * thresholds; an agent that fails calls in a row raises an alert at once, counted in the
 * menu's badge and listed on the Alerts page in plain words, where an admin acknowledges it.
 * Any console error fails the test.
 */
const admin = { name: 'Ada Alert', email: 'ada@example.com', password: 'Copper-Meadow-Signal-83' };
const domain = 'alerts.cloudonix.net';

describe('sqlite: alerts in the admin UI', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Alert Co', domain } });
  let page: Page;

  beforeAll(() => {
    page = suite.page;
  });

  it('saves alert settings, shows an agent-down alert with a badge, and acknowledges it', async () => {
    const base = suite.service.base;
    await signIn(page, base, admin.email, admin.password);
    await nav(page, 'Settings');
    const form = page.getByRole('form', { name: 'Alerts' });
    await form.getByLabel('Signing secret').fill('short');
    await form.getByLabel('Fallback share above (%)').fill('30');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('must be at least 16 characters').waitFor();
    await form.getByLabel('Signing secret').fill('a-long-enough-signing-secret');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Saved').waitFor();
    await form.getByRole('button', { name: 'Send test alert' }).click();
    await form.getByText('Test alert: webhook not set up, email not set up.').waitFor();
    const saved = await apiAs<Record<string, unknown>>(page, base, '/api/alerts/settings');
    expect(saved).toMatchObject({ fallback_percent: 30, signing_secret_set: true });
    expect(JSON.stringify(saved)).not.toContain('a-long-enough-signing-secret');
    await screenshot(page, 'alert-settings');

    // Three calls the agent fails, as Cloudonix reports them: the third takes it out of rotation.
    const tenant = await apiAs<{ webhook_secret: string }>(page, base, '/api/tenant');
    const agent = await apiRequest<{ id: number }>(page, base, 'POST', '/api/voice-agents', { name: 'Flaky bot', provider: 'vapi', service_value: '+12125550981' });
    await apiRequest(page, base, 'POST', '/api/inbound-routing-rules', { pattern: '*', target_type: 'agent', target_id: agent.id });
    for (let i = 0; i < 3; i++) {
      const session = `a1e47${String(i).padStart(27, '0')}`;
      const voice = await fetch(`${base}/api/voice/application/${domain}?token=${tenant.webhook_secret}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(voiceBody(domain, session)) });
      const dialed = dialedService(await voice.text());
      expect(dialed).not.toBeNull();
      const callback = await fetch(dialed!.action.replace(/^https?:\/\/[^/]+/, base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(voiceBody(domain, session, { DialCallStatus: 'failed' })) });
      expect(callback.status).toBe(200);
    }

    await nav(page, 'Alerts');
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Flaky bot' });
    await row.getByText('Agent out of rotation').waitFor();
    await row.getByText('Firing').waitFor();
    await page.locator('aside [data-nav-badge="/alerts"]').getByText('1').waitFor();
    await screenshot(page, 'alerts-firing');
    await row.getByRole('button', { name: 'Acknowledge: Agent out of rotation (Flaky bot)' }).click();
    await row.getByText('Acknowledged').waitFor();
    const counts = await apiAs<{ firing: number; unacknowledged: number }>(page, base, '/api/alerts/counts');
    expect(counts).toEqual({ firing: 1, unacknowledged: 0 });
    await screenshot(page, 'alerts-acknowledged');
    // On a phone, and in dark mode, the alert and its words are still there to read.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByText('Flaky bot failed calls in a row and is out of rotation.').waitFor({ state: 'visible' });
    await screenshot(page, 'alerts-phone-dark');
  });
});
