import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { fakeCloudonixSuite } from './fake-cloudonix-suite.js';
import { screenshot, simulate, type Service } from './harness.js';
import { apiRequest, nav, signIn } from './page-helpers.js';

/**
 * Live-call control in a real browser, against the real service started with CLOUDONIX_API_URL
 * at a local fake of the Cloudonix REST API: an admin opens a live call, hands it off to another
 * agent after picking it (a number that is not a phone number is refused in words), the drawer
 * then names the agent that took over and its timeline says so, and the fake runs that agent's
 * CXML; then the admin hangs the call up, and the fake's session is over. Any console error
 * fails the test.
 */
const admin = { name: 'Hana Handoff', email: 'hana@example.com', password: 'Copper-Meadow-Switch-58' };
const domain = 'handoff.cloudonix.net';
const session = 'e2e00000000000000000000000handoff';

let fake: FakeCloudonix;
let service: Service;
let page: Page;

describe('sqlite: hand-off and hang-up of a live call from the drawer', () => {
  const cloudonix = fakeCloudonixSuite({ admin, tenantName: 'Handoff Co', domain });
  beforeEach(() => {
    ({ service, page } = cloudonix.suite);
    fake = cloudonix.fake();
  });
  const call = <T>(method: string, path: string, body?: unknown) => apiRequest<T>(page, service.base, method, path, body);

  it('hands a live call to another agent, shows who took over, then hangs it up', async () => {
    await signIn(page, service.base, admin.email, admin.password);
    await call('PUT', '/api/cloudonix/connection', { api_key: fake.keyOf(domain) });
    const first = await call<{ id: number }>('POST', '/api/voice-agents', { name: 'Robo Receptionist', provider: 'vapi', service_value: '+12125559101' });
    await call('POST', '/api/voice-agents', { name: 'Human Desk', provider: 'vapi', service_value: '+12125559102' });
    await call('POST', '/api/inbound-routing-rules', { pattern: '+1212*', target_type: 'agent', target_id: first.id });
    const tenant = await call<{ webhook_secret: string }>('GET', '/api/tenant');
    const cx = ['--url', service.base, '--domain', domain, '--secret', tenant.webhook_secret, '--session', session, '--to', '+12125550187'];
    simulate(['send', 'voice', ...cx]);
    fake.sessions.add(domain, { token: session, status: 'connected' });
    simulate(['send', 'session', ...cx]);

    await nav(page, 'Live calls');
    const row = page.locator(`tr[data-session="${session}"]`);
    await row.getByText('Robo Receptionist').waitFor({ timeout: 20_000 });
    await row.getByRole('button', { name: /Details of the call/ }).click();
    const drawer = page.getByRole('dialog').first();
    await drawer.getByRole('heading', { name: 'Timeline' }).waitFor();

    await drawer.getByRole('button', { name: 'Hand off' }).click();
    const handOff = page.getByRole('dialog', { name: /Hand off the call/ });
    await handOff.getByLabel('Hand the call to').selectOption('number');
    await handOff.getByLabel('Number').fill('anonymous');
    await cloudonix.suite.watch.expecting([/status of 422/], async () => {
      await handOff.getByRole('button', { name: 'Hand off now' }).click();
      await handOff.getByText(/must be a phone number/).first().waitFor();
    });
    await handOff.getByLabel('Hand the call to').selectOption('agent');
    await handOff.getByLabel('Agent').selectOption({ label: 'Human Desk' });
    await screenshot(page, 'call-hand-off-dialog');
    await handOff.getByRole('button', { name: 'Hand off now' }).click();
    await handOff.waitFor({ state: 'hidden' });

    await drawer.getByText('Handed off to Human Desk').waitFor({ timeout: 20_000 });
    await expect(drawer.getByText('Human Desk').count()).resolves.toBeGreaterThan(1);
    await screenshot(page, 'call-hand-off-drawer');
    expect(fake.sessions.get(session)?.applications.at(-1)?.cxml).toContain('+12125559102</Service>');

    await drawer.getByRole('button', { name: 'Hang up' }).click();
    const confirm = page.getByRole('dialog', { name: /Hang up the call/ });
    await confirm.getByRole('button', { name: 'Hang up' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await drawer.getByText('Ended by admin').first().waitFor({ timeout: 20_000 });
    await drawer.getByText('Hung up by an admin').waitFor();
    expect(fake.sessions.get(session)?.hungUp).not.toBeNull();
    await page.keyboard.press('Escape');
    await row.waitFor({ state: 'detached', timeout: 20_000 });
  });
});
