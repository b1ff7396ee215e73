import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { screenshot } from './harness.js';
import { newSession, voiceBody } from '../support/cloudonix.js';
import { apiAs, apiRequest, nav, signIn } from './page-helpers.js';

/**
 * A provider pool made in Chromium: created on the Pools page, picked in an agent's form,
 * its occupancy bar filled by a routed call, and its deletion refused while the agent is in
 * it. Any console error fails the test.
 */
const admin = { name: 'Paula Pool', email: 'paula@example.com', password: 'Granite-Harbor-Lantern-47' };
const domain = 'pools.cloudonix.net';

describe('sqlite: provider pools in the admin UI', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Pool Co', domain } });
  let page: Page;
  const dialog = () => page.getByRole('dialog');

  it('creates a pool, assigns an agent to it in the agent form, and shows its live calls against the limit', async () => {
    // Read here, not in a beforeAll: a failed set-up then fails this test with its reason.
    page = suite.page;
    const base = suite.service.base;
    await signIn(page, base, admin.email, admin.password);
    const agent = await apiRequest<{ id: number }>(page, base, 'POST', '/api/voice-agents', { name: 'Pooled bot', provider: 'vapi', service_value: '+12125550971' });

    await nav(page, 'Pools');
    await page.getByRole('button', { name: 'Create your first pool' }).click();
    await dialog().getByLabel('Name', { exact: true }).fill('VAPI org');
    await dialog().getByLabel('Concurrent calls across the pool').fill('0');
    await dialog().getByRole('button', { name: 'Create pool' }).click();
    await dialog().getByText(/between 1 and 10000/).waitFor();
    await dialog().getByLabel('Concurrent calls across the pool').fill('2');
    await dialog().getByRole('button', { name: 'Create pool' }).click();
    await dialog().waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: /VAPI org/ });
    await row.getByText('0 of 2 busy').waitFor();

    await nav(page, 'Agents');
    await page.getByRole('button', { name: 'Edit Pooled bot' }).click();
    await dialog().getByLabel('Provider pool').selectOption({ label: 'VAPI org (2 calls)' });
    await screenshot(page, 'provider-pool-agent-form');
    await dialog().getByRole('button', { name: 'Save changes' }).click();
    await dialog().waitFor({ state: 'hidden' });
    const stored = await apiAs<{ pool_id: number | null }>(page, base, `/api/voice-agents/${agent.id}`);
    expect(stored.pool_id).not.toBeNull();

    // A call routed to the agent takes one of the pool's two slots.
    await apiRequest(page, base, 'POST', '/api/inbound-routing-rules', { name: 'Pool line', pattern: '+12125550188', target_type: 'agent', target_id: agent.id });
    const { webhook_secret: secret } = await apiAs<{ webhook_secret: string }>(page, base, '/api/tenant');
    const routed = await fetch(`${base}/api/voice/application/${domain}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(voiceBody(domain, newSession(), { To: '+12125550188' })),
    });
    expect(routed.status).toBe(200);
    await nav(page, 'Pools');
    await row.getByText('Pooled bot').waitFor();
    await row.getByText('1 of 2 busy').waitFor();
    await screenshot(page, 'provider-pools');
    // Tablet and phone: the row keeps its name, agents, bar and actions; dark mode follows the system.
    for (const [width, height] of [[768, 1024], [390, 844]] as const) {
      await page.setViewportSize({ width, height });
      await row.getByText('1 of 2 busy').waitFor();
      // Not cut off by the table's edge: the delete button lies inside the viewport.
      const box = await page.getByRole('button', { name: 'Delete VAPI org' }).boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(width);
      await screenshot(page, `provider-pools-${width}`);
    }
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'provider-pools-390-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The dashboard's occupancy lists the pool too.
    await nav(page, 'Dashboard');
    const card = page.getByRole('region', { name: 'Occupancy now' });
    await card.getByText('Provider pools').waitFor();
    await card.getByRole('listitem').filter({ hasText: 'VAPI org' }).getByText('1 of 2 busy').waitFor();
    await nav(page, 'Pools');

    // In use, it is not deleted: the refusal names the agent.
    await page.getByRole('button', { name: 'Delete VAPI org' }).click();
    await suite.watch.expecting([/status of 409/], async () => {
      await dialog().getByRole('button', { name: 'Delete pool' }).click();
      await dialog().getByText(/"Pooled bot"/).waitFor();
    });
    await dialog().getByRole('button', { name: 'Cancel' }).click();
  });
});
