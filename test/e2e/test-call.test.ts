import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { dialedService } from '../support/cloudonix.js';
import type { FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { fakeCloudonixSuite } from './fake-cloudonix-suite.js';
import { screenshot, type Service } from './harness.js';
import { apiRequest, nav, signIn } from './page-helpers.js';

/**
 * A test call from the agents page in a real browser, against the real service started with
 * CLOUDONIX_API_URL at a local fake of the Cloudonix REST API, whose domain profile sends
 * session updates and CDRs back to the service: a number that is not a phone number is refused
 * in words; "Call me" places the call (the fake holds CXML dialling the agent); the dialog
 * follows the record as the fake reports the phone answered and the call ended, and says the
 * agent took the call and for how long; the number is remembered for the next test.
 */
const admin = { name: 'Tess Tester', email: 'tess@example.com', password: 'Velvet-Harbor-Ring-73' };
const domain = 'testcall.cloudonix.net';

let fake: FakeCloudonix;
let service: Service;
let page: Page;

describe('sqlite: a test call to an agent from the agents page', () => {
  const cx = fakeCloudonixSuite({ admin, tenantName: 'Test Call Co', domain });
  beforeEach(() => {
    ({ service, page } = cx.suite);
    fake = cx.fake();
  });
  const call = <T>(method: string, path: string, body?: unknown) => apiRequest<T>(page, service.base, method, path, body);

  it('rings my phone, then the agent, and says the agent answered and for how long', async () => {
    await signIn(page, service.base, admin.email, admin.password);
    await call('PUT', '/api/cloudonix/connection', { api_key: fake.keyOf(domain) });
    await call('POST', '/api/voice-agents', { name: 'Robo Concierge', provider: 'vapi', service_value: '+12125559201' });
    const { webhook_secret: secret } = await call<{ webhook_secret: string }>('GET', '/api/tenant');
    const q = `token=${encodeURIComponent(secret)}`;
    Object.assign(fake.domains.get(domain)!.profile, {
      'session-update-endpoint': `${service.base}/api/voice/session/update/${domain}?${q}`,
      'cdr-endpoint': `${service.base}/api/voice/session/cdr/${domain}?${q}`,
    });

    await nav(page, 'Agents');
    await page.getByRole('button', { name: 'Test call to Robo Concierge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Test call to Robo Concierge' });
    await dialog.getByLabel('Your phone number').fill('my desk');
    await dialog.getByRole('button', { name: 'Call me' }).click();
    await dialog.getByText(/must be the phone number to ring in international form/).waitFor();
    expect(fake.sessions.list()).toEqual([]);

    await dialog.getByLabel('Your phone number').fill('+1 415 555 0100');
    await screenshot(page, 'test-call-dialog');
    await dialog.getByRole('button', { name: 'Call me' }).click();
    await dialog.getByText('Calling your phone…').waitFor({ timeout: 20_000 });
    const [session] = fake.sessions.list();
    expect(session?.destination).toBe('14155550100');
    const cxml = session!.applications[0]!.cxml!;
    expect(dialedService(cxml)?.number).toBe('+12125559201');

    const answeredAt = Date.now();
    await fake.emit(session!.token, 'answer', { at: answeredAt });
    await dialog.getByText('Your phone answered').waitFor({ timeout: 20_000 });
    // The agent's leg ends: Cloudonix asks our Dial callback what next.
    const action = dialedService(cxml)!.action;
    const callback = await fetch(action, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Session: session!.token, Domain: domain, DialCallStatus: 'completed' }) });
    expect(callback.status).toBe(200);
    await fake.emit(session!.token, 'end', { at: answeredAt + 42_000 });
    await dialog.getByText('Answered: Robo Concierge took the call').waitFor({ timeout: 20_000 });
    await dialog.getByText(/On the line for 0:42/).waitFor();
    await screenshot(page, 'test-call-answered');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The number is remembered for the next test call.
    await page.getByRole('button', { name: 'Test call to Robo Concierge' }).click();
    await expect(page.getByRole('dialog', { name: 'Test call to Robo Concierge' }).getByLabel('Your phone number').inputValue()).resolves.toBe('+14155550100');
    await page.keyboard.press('Escape');
    // On a phone the agents table scrolls sideways to its actions, and the dialog fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Test call to Robo Concierge' }).click();
    const phoneDialog = page.getByRole('dialog', { name: 'Test call to Robo Concierge' });
    const box = await phoneDialog.getByRole('button', { name: 'Call me' }).boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    await screenshot(page, 'test-call-dialog-390');
    await page.keyboard.press('Escape');
    await phoneDialog.waitFor({ state: 'hidden' });
    await page.setViewportSize({ width: 1280, height: 900 });

    // The call records list marks it as a test call.
    await nav(page, 'Call records');
    await page.locator(`tr[data-session="${session!.token}"]`).getByText('Test call').first().waitFor({ timeout: 20_000 });
  });
});
