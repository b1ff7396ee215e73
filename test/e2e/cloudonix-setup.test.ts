import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SetupCheckView } from '../../src/core/schemas/cloudonix-setup.js';
import type { TenantView } from '../../src/core/schemas/tenant.js';
import type { FakeCloudonix } from '../support/fake-cloudonix-api.js';
import { fakeCloudonixSuite } from './fake-cloudonix-suite.js';
import { screenshot, type Service } from './harness.js';
import { apiAs, apiRequest, nav, signIn, writeControls } from './page-helpers.js';

/**
 * The Cloudonix connection and one-click domain setup in a real browser, against the real
 * service started with CLOUDONIX_API_URL at a local fake of the Cloudonix REST API: a wrong
 * key is refused in Cloudonix's terms, the right one is kept and only its last characters shown,
 * "Check wiring" finds everything missing, the wizard lists the changes (secrets masked),
 * applies them and verifies them by reading back, and the fake holds the domain as Cloudonix
 * would. Any console error fails the test.
 */
const admin = { name: 'Wendy Wizard', email: 'wendy@example.com', password: 'Copper-Meadow-Lantern-71' };
const analyst = { name: 'Andy Analyst', email: 'andy@example.com', password: 'Quiet-Harbour-Reader-33' };
const domain = 'wizard.cloudonix.net';
const items = ['Voice application', 'Default application', 'Authorization key', 'Session-update endpoint', 'CDR endpoint'];

let fake: FakeCloudonix;
let service: Service;
let page: Page;

describe('sqlite: Cloudonix connection and domain setup in the admin UI', () => {
  // A setting someone made at Cloudonix by hand, which setup must keep.
  const cx = fakeCloudonixSuite({ admin, tenantName: 'Wizard Co', domain }, { 'call-recording': 'enabled' });
  beforeEach(() => {
    ({ service, page } = cx.suite);
    fake = cx.fake();
  });

  const card = () => page.locator('section').filter({ has: page.getByRole('heading', { name: 'Cloudonix connection', level: 2 }) });
  const dialog = () => page.getByRole('dialog');
  const wiringItem = (label: string) => card().getByRole('list', { name: 'Cloudonix wiring' }).getByRole('listitem').filter({ hasText: `${label}:` });

  it('refuses a wrong domain API key in words, keeps the right one write-only and shows only how it ends', async () => {
    await signIn(page, service.base, admin.email, admin.password);
    await nav(page, 'Settings');
    await card().getByText('Not connected').waitFor();

    const keyField = card().getByLabel('Domain API key');
    await keyField.fill('XI0000000000000000000000000000wrong');
    await cx.suite.watch.expecting([/status of 422/], async () => {
      await card().getByRole('button', { name: 'Connect' }).click();
      await card().getByText(/refused the API key/).waitFor();
    });
    await screenshot(page, 'cloudonix-wrong-key');
    expect((await apiAs<{ connected: boolean }>(page, service.base, '/api/cloudonix/connection')).connected).toBe(false);

    const key = fake.keyOf(domain);
    await keyField.fill(key);
    await card().getByRole('button', { name: 'Connect' }).click();
    await card().getByText(`Key set, ends in …${key.slice(-4)}`).waitFor();
    await card().getByText('Connected', { exact: true }).waitFor();
    expect(await keyField.count()).toBe(0);
    // Write-only: the key is on no page and in no answer, only its last four characters.
    expect(await page.content()).not.toContain(key);
    const connection = await apiAs<Record<string, unknown>>(page, service.base, '/api/cloudonix/connection');
    expect(JSON.stringify(connection)).not.toContain(key);
    expect(connection.key_hint).toBe(`…${key.slice(-4)}`);
    expect(fake.requests.filter((r) => r.authorization === `Bearer ${key}`).length).toBeGreaterThan(0);
  });

  it('checks the wiring (everything missing), runs the setup wizard (changes listed, applied, verified), and checks again (all OK)', async () => {
    await card().getByRole('button', { name: 'Check wiring' }).click();
    await card().getByText('5 of 5 items need setting up.').waitFor();
    // Each item says what is missing in the API's own words.
    const check = await apiAs<SetupCheckView>(page, service.base, '/api/cloudonix/setup');
    expect(check.steps.map((s) => s.action)).not.toContain('none');
    for (const [i, step] of check.steps.entries()) await wiringItem(items[i]!).getByText(step.words, { exact: true }).waitFor();
    await card().getByRole('list', { name: 'Received recently' }).getByText('never received').first().waitFor();
    await screenshot(page, 'cloudonix-check-wiring-missing');
    expect(fake.writes()).toEqual([]);

    const tenant = await apiAs<TenantView>(page, service.base, '/api/tenant');
    const secret = tenant.webhook_secret!;
    await card().getByRole('button', { name: 'Set up domain' }).click();
    const planned = dialog().getByRole('list', { name: 'Planned changes' });
    await planned.waitFor();
    for (const label of items) await planned.getByRole('listitem').filter({ hasText: label }).waitFor();
    await planned.getByRole('listitem').filter({ hasText: 'Voice application' }).getByText(`voice-lb-${domain}: POST`, { exact: false }).waitFor();
    // The webhook secret is masked in the URLs and never shown as the key.
    expect(await dialog().innerText()).not.toContain(secret);
    // This service runs on 127.0.0.1, which Cloudonix could not reach: applying takes an explicit tick.
    const apply = dialog().getByRole('button', { name: 'Apply 5 changes' });
    expect(await apply.isDisabled()).toBe(true);
    await dialog().getByText(/points at 127\.0\.0\.1/).waitFor();
    await screenshot(page, 'cloudonix-setup-plan');
    await dialog().getByLabel(/Set up these URLs anyway/).check();
    await apply.click();

    await dialog().getByText('Verified: reading the domain back shows every item in place.').waitFor();
    const made = dialog().getByRole('list', { name: 'Changes made' });
    for (const label of items) await made.getByRole('listitem').filter({ hasText: label }).waitFor();
    expect(await dialog().innerText()).not.toContain(secret);
    await screenshot(page, 'cloudonix-setup-verified');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'hidden' });

    // The fake holds the domain as Cloudonix would: our application, the default, the key and both endpoints; other settings kept.
    const [app, ...others] = fake.applications.list(domain);
    expect(others).toEqual([]);
    expect(app).toMatchObject({ name: `voice-lb-${domain}`, url: tenant.webhook_urls!.voice_application, method: 'POST' });
    const d = fake.domains.get(domain)!;
    expect(d.defaultApplication).toBe(app!.id);
    expect(d.profile).toEqual({
      'call-recording': 'enabled',
      'authorization-api-key': secret,
      'session-update-endpoint': tenant.webhook_urls!.session_update,
      'cdr-endpoint': tenant.webhook_urls!.cdr,
    });

    // Checked again: every item is OK, and the card says when the domain was last set up.
    fake.clearRequests();
    await card().getByRole('button', { name: 'Check wiring' }).click();
    await card().getByText('The domain is wired to this service.').waitFor();
    for (const label of items) await wiringItem(label).getByText('OK', { exact: true }).waitFor();
    await card().getByText(/^Last set up/).waitFor();
    expect(fake.writes()).toEqual([]);
    await screenshot(page, 'cloudonix-check-wiring-ok');
  });

  it('shows what Cloudonix sent once a call goes through the domain it set up', async () => {
    const tenant = await apiAs<TenantView>(page, service.base, '/api/tenant');
    const session = fake.sessions.add(domain);
    // Cloudonix runs the voice application setup made (POST with the webhook secret as Bearer), then reports the call's end.
    const [app] = fake.applications.list(domain);
    const voice = await fetch(app!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.webhook_secret!}` },
      body: JSON.stringify({
        ApiVersion: '1', Session: session.token, CallSid: session.token, AccountSid: domain, Domain: domain, From: '+14155550123', To: '+12125550187', Direction: 'inbound',
        CallStatus: 'in-progress', SessionData: { token: session.token, status: 'processing', callStartTime: Date.now(), domainNameOrId: domain },
      }),
    });
    expect(voice.status).toBe(200);
    const ended = await fake.emit(session.token, 'noanswer');
    expect([ended.sessionUpdate?.status, ended.cdr?.status]).toEqual([200, 200]);

    const received = card().getByRole('list', { name: 'Received recently' });
    await expect
      .poll(async () => {
        await card().getByRole('button', { name: 'Check wiring' }).click();
        await card().getByRole('button', { name: 'Check wiring' }).and(page.locator(':not([aria-busy])')).waitFor();
        return received.getByText(/last received/).count();
      }, { timeout: 20_000, interval: 1_000 })
      .toBe(3);
    await screenshot(page, 'cloudonix-received');
  });

  it('an analyst sees the connection and may check the wiring, with nothing to change', async () => {
    await apiRequest(page, service.base, 'POST', '/api/users', { ...analyst, role: 'analyst' });
    const reader = await cx.suite.newPage();
    await signIn(reader, service.base, analyst.email, analyst.password);
    await nav(reader, 'Settings');
    const readerCard = reader.locator('section').filter({ has: reader.getByRole('heading', { name: 'Cloudonix connection', level: 2 }) });
    await readerCard.getByText(/^Key set, ends in …/).waitFor();
    for (const name of ['Replace', 'Disconnect', 'Set up domain', 'Connect']) expect(await readerCard.getByRole('button', { name }).count()).toBe(0);
    expect(await readerCard.getByRole('switch', { name: 'Verify unknown sessions' }).isDisabled()).toBe(true);
    expect(await writeControls(reader)).toEqual([]);
    await readerCard.getByRole('button', { name: 'Check wiring' }).click();
    await readerCard.getByText('The domain is wired to this service.').waitFor();
    await screenshot(reader, 'cloudonix-analyst');
  });

  it('turns on the check of unknown sessions, and fits a phone in the dark scheme with the wizard open', async () => {
    const verify = card().getByRole('switch', { name: 'Verify unknown sessions' });
    await verify.click();
    await expect.poll(async () => (await apiAs<{ verify_unknown_sessions: boolean }>(page, service.base, '/api/cloudonix/connection')).verify_unknown_sessions).toBe(true);
    expect(await verify.getAttribute('aria-checked')).toBe('true');

    // A phone in the dark scheme: nothing cut off or scrolling sideways, the wizard included.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await card().getByRole('button', { name: 'Check wiring' }).click();
    await card().getByText('The domain is wired to this service.').waitFor();
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    // The key's sentence keeps one line: the buttons wrap below it instead of squeezing it.
    expect((await card().getByText(/^Key set, ends in/).boundingBox())!.height).toBeLessThan(30);
    for (const name of ['Replace', 'Disconnect', 'Check wiring', 'Set up domain']) {
      const box = await card().getByRole('button', { name }).boundingBox();
      expect(box && box.x + box.width, name).toBeLessThanOrEqual(390);
    }
    await screenshot(page, 'cloudonix-phone-dark');
    await card().getByRole('button', { name: 'Set up domain' }).click();
    await dialog().getByText('Nothing to change: the domain already sends every call and webhook to this service.').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'cloudonix-wizard-phone-dark');
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('says in Cloudonix’s terms when it fails: Check wiring and the wizard show the words, and work again once it answers', async () => {
    fake.failNext(503, { status: 503, message: 'Service Unavailable' }, { times: 2 });
    await cx.suite.watch.expecting([/status of 424/], async () => {
      await card().getByRole('button', { name: 'Check wiring' }).click();
      await card().getByRole('alert').getByText(/^Cloudonix failed \(HTTP 503\) .*try again in a minute\.$/).waitFor();
      expect(await card().getByRole('list', { name: 'Cloudonix wiring' }).count()).toBe(0);
      await card().getByRole('button', { name: 'Set up domain' }).click();
      await dialog().getByRole('alert').getByText(/^Cloudonix failed \(HTTP 503\)/).waitFor();
    });
    expect(await dialog().getByRole('button', { name: /^Apply/ }).isDisabled()).toBe(true);
    await screenshot(page, 'cloudonix-wizard-failed');
    fake.resetFaults();
    await dialog().getByRole('button', { name: 'Try again' }).click();
    await dialog().getByText('Nothing to change: the domain already sends every call and webhook to this service.').waitFor();
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'hidden' });
  });

  it('disconnects: the key is forgotten and the console says it is not connected', async () => {
    await card().getByRole('button', { name: 'Disconnect' }).click();
    await dialog().getByRole('button', { name: 'Disconnect' }).click();
    await card().getByText('Not connected').waitFor();
    await card().getByLabel('Domain API key').waitFor();
    expect((await apiAs<{ connected: boolean; key_hint: string | null }>(page, service.base, '/api/cloudonix/connection')).key_hint).toBeNull();
  });
});
