import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { screenshot } from './harness.js';
import { newSession, voiceBody } from '../support/cloudonix.js';
import { apiAs, apiRequest, nav, signIn } from './page-helpers.js';

/**
 * A least-live-calls group with returning callers, made in Chromium: the form explains both,
 * the group's page says what it does, the API stored what the form showed, and the rule tester
 * names the strategy. Any console error fails the test.
 */
const admin = { name: 'Lena Live', email: 'lena@example.com', password: 'Quartz-Meadow-Signal-83' };

describe('sqlite: least live calls and returning callers in the group form', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Live Co', domain: 'live.cloudonix.net' } });
  let page: Page;
  const dialog = () => page.getByRole('dialog');

  beforeAll(() => {
    page = suite.page;
  });

  it('creates a least-live group that sends returning callers back, and sees both on its page and in the rule tester', async () => {
    const base = suite.service.base;
    await signIn(page, base, admin.email, admin.password);
    await apiRequest(page, base, 'POST', '/api/voice-agents', { name: 'Live bot', provider: 'vapi', service_value: '+12125550961' });

    await nav(page, 'Groups');
    await page.getByRole('button', { name: 'New group' }).click();
    await dialog().getByLabel('Name', { exact: true }).fill('Live desk');
    await dialog().getByText('Least live calls', { exact: true }).click();
    await dialog().getByText(/fewest calls in progress right now/).waitFor();
    // Off by default; on, it asks how long a caller is remembered and says what happens when that agent is busy.
    expect(await dialog().getByLabel('Remember callers for (minutes)').count()).toBe(0);
    await dialog().getByRole('switch', { name: 'Send returning callers back to the agent that last took their call' }).click();
    await dialog().getByLabel('Remember callers for (minutes)').fill('0');
    await dialog().getByRole('button', { name: 'Create group' }).click();
    await dialog().getByText(/Too small: expected number to be >=1/).waitFor();
    await dialog().getByLabel('Remember callers for (minutes)').fill('45');
    await screenshot(page, 'least-live-group-form');
    await dialog().getByRole('button', { name: 'Create group' }).click();
    await page.waitForURL(/\/groups\/\d+$/);

    await page.getByText('Least live calls.', { exact: true }).waitFor();
    await page.getByText(/a caller who calls again within 45 minutes gets the agent that last took their call/).waitFor();
    const id = Number(new URL(page.url()).pathname.split('/').pop());
    const group = await apiAs<{ strategy: string; settings: { returning_callers?: { enabled: boolean; ttl_minutes: number } } }>(page, base, `/api/agent-groups/${id}`);
    expect(group.strategy).toBe('least_live');
    expect(group.settings.returning_callers).toEqual({ enabled: true, ttl_minutes: 45 });

    await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'Live bot' });
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('list', { name: 'Members of Live desk' }).getByText('Live bot').waitFor();
    await screenshot(page, 'least-live-group-page');

    // The edit form shows the stored setting; switched off, it is saved as off.
    await page.getByRole('button', { name: 'Edit group' }).click();
    expect(await dialog().getByLabel('Remember callers for (minutes)').inputValue()).toBe('45');
    await dialog().getByRole('switch', { name: 'Send returning callers back to the agent that last took their call' }).click();
    await dialog().getByRole('button', { name: 'Save changes' }).click();
    await dialog().waitFor({ state: 'hidden' });
    expect(await page.getByText(/a caller who calls again within/).count()).toBe(0);
    const off = await apiAs<{ settings: { returning_callers?: { enabled: boolean; ttl_minutes: number } } }>(page, base, `/api/agent-groups/${id}`);
    expect(off.settings.returning_callers).toEqual({ enabled: false, ttl_minutes: 45 });

    // On again, and a call from the tester's default caller is routed (as Cloudonix sends it): the tester now sees a returning caller.
    await apiRequest(page, base, 'PUT', `/api/agent-groups/${id}`, { settings: { returning_callers: { enabled: true, ttl_minutes: 45 } } });
    await apiRequest(page, base, 'POST', '/api/inbound-routing-rules', { name: 'Live line', pattern: '+12125550188', target_type: 'group', target_id: id });
    const { webhook_secret: secret } = await apiAs<{ webhook_secret: string }>(page, base, '/api/tenant');
    const session = newSession();
    const routed = await fetch(`${base}/api/voice/application/live.cloudonix.net`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(voiceBody('live.cloudonix.net', session, { From: '+14155550123', To: '+12125550188' })),
    });
    expect(routed.status).toBe(200);
    await nav(page, 'Rules');
    const tester = page.getByRole('form', { name: 'Test a number' });
    await tester.getByLabel('Dialled number (to)').fill('+12125550188');
    await tester.getByRole('button', { name: 'Test routing' }).click();
    const decision = page.getByRole('list', { name: 'Routing decision' });
    await decision.getByText('using least live calls').waitFor();
    await decision.getByText('would answer').waitFor();
    await decision.getByText('This number called before: it goes back to Live bot, who took its last call.').waitFor();
    await screenshot(page, 'least-live-rule-tester');
  });
});
