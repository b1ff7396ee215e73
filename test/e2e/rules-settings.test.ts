import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { screenshot } from './harness.js';
import { apiAs, nav } from './page-helpers.js';

/**
 * Forms that tell the truth, in Chromium: registration takes the browser's time zone and trims
 * a domain pasted as a URL; a rule pattern that could never match is refused with why; the rule
 * tester refuses what is not a number; the time zone is picked by typing; webhook URLs built
 * from 127.0.0.1 are flagged as unreachable for Cloudonix. Any console error fails the test.
 */
const KOLKATA = /^Asia\/(Kolkata|Calcutta)/;
const admin = { name: 'Tess Truth', email: 'tess@example.com', password: 'Granite-Harbor-Lantern-52' };

describe('sqlite: rules, settings and registration forms', () => {
  // A browser in India: registration should say so and keep it.
  const suite = browserSuite({ context: { timezoneId: 'Asia/Kolkata' } });
  let page: Page;
  const dialog = () => page.getByRole('dialog');

  beforeAll(() => {
    page = suite.page;
  });

  it('registration takes the browser time zone and trims a domain pasted as a URL', async () => {
    await page.goto(`${suite.service.base}/`);
    await page.waitForURL('**/register');
    // Chromium's ICU may still name it by its older IANA alias, Asia/Calcutta.
    await page.getByTestId('detected-time-zone').getByText(KOLKATA).waitFor();
    await page.getByLabel('Organisation name').fill('Truth Co');
    const domain = page.getByLabel('Cloudonix domain');
    await domain.fill('https://Truth.cloudonix.net/');
    await page.getByLabel('Your name').click();
    expect(await domain.inputValue()).toBe('truth.cloudonix.net');
    await page.getByLabel('Your name').fill(admin.name);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByLabel('Password confirmation').fill(admin.password);
    await page.getByRole('button', { name: 'Create tenant' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('region', { name: 'Get started' }).getByText('0 of 6 done').waitFor();
    const tenant = await apiAs<{ domain: string; settings: { timezone: string } }>(page, suite.service.base, '/api/tenant');
    expect(tenant.domain).toBe('truth.cloudonix.net');
    expect(tenant.settings.timezone).toMatch(KOLKATA);
  });

  it('refuses a pattern that could never match, and a test number that is not a number, saying why', async () => {
    const token = await page.evaluate(() => localStorage.getItem('vlb.token'));
    const created = await fetch(`${suite.service.base}/api/voice-agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token ?? ''}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Sales bot', provider: 'vapi', service_value: '+12125550901' }),
    });
    expect(created.status).toBe(201);

    await nav(page, 'Rules');
    await page.getByRole('button', { name: 'New inbound rule' }).click();
    await dialog().getByLabel('Dialled number pattern').fill('sales*');
    await dialog().getByLabel('Send to').selectOption('agent');
    await dialog().getByLabel('Agent', { exact: true }).selectOption({ label: 'Sales bot' });
    await dialog().getByRole('button', { name: 'Create rule' }).click();
    await dialog().getByText(/holds the letter “s”, but calls are matched on their digits, so it could never match/).waitFor();
    await dialog().getByLabel('Dialled number pattern').fill('+1212[0-9]{7}');
    await dialog().getByRole('button', { name: 'Create rule' }).click();
    await dialog().getByText(/looks like a regular expression/).waitFor();
    await screenshot(page, 'rules-refused-pattern');
    await dialog().getByLabel('Dialled number pattern').fill('+1212*');
    await dialog().getByRole('button', { name: 'Create rule' }).click();
    await dialog().waitFor({ state: 'hidden' });

    const tester = page.getByRole('form', { name: 'Test a number' });
    await tester.getByLabel('Dialled number (to)').fill('anonymous');
    await tester.getByRole('button', { name: 'Test routing' }).click();
    await tester.getByText(/must be a phone number such as \+12125550187/).waitFor();
    expect(await page.getByRole('list', { name: 'Routing decision' }).count()).toBe(0);
    await screenshot(page, 'rules-tester-refused');
    await tester.getByLabel('Dialled number (to)').fill('+1 212 555 0187');
    await tester.getByRole('button', { name: 'Test routing' }).click();
    await page.getByRole('list', { name: 'Routing decision' }).getByText('would answer').waitFor();
  });

  it('flags webhook URLs Cloudonix cannot reach, and picks the time zone by typing', async () => {
    await nav(page, 'Settings');
    const flag = page.getByTestId('webhook-url-problem');
    await flag.waitFor();
    expect(await flag.innerText()).toMatch(/127\.0\.0\.1, this machine \(loopback\).*cannot reach it/s);

    const zone = page.getByRole('combobox', { name: 'Time zone' });
    expect(await zone.inputValue()).toMatch(KOLKATA);
    await zone.click();
    await zone.fill('tokyo');
    const options = page.getByRole('listbox', { name: 'Time zone' }).getByRole('option');
    await expect.poll(() => options.count()).toBe(1);
    expect(await options.first().innerText()).toMatch(/^Asia\/Tokyo \(GMT\+9\)/);
    await screenshot(page, 'settings-time-zone-search');
    await zone.press('Enter');
    expect(await zone.inputValue()).toMatch(/^Asia\/Tokyo/);
    const form = page.getByRole('form', { name: 'Time zone, retention, call length and health' });
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('status').getByText('Saved').waitFor();
    await expect.poll(async () => (await apiAs<{ settings: { timezone: string } }>(page, suite.service.base, '/api/tenant')).settings.timezone).toBe('Asia/Tokyo');
    await screenshot(page, 'settings-webhook-flag');
  });

  it('the audit log names who changed what, and says when the item is gone', async () => {
    const token = await page.evaluate(() => localStorage.getItem('vlb.token'));
    const headers = { authorization: `Bearer ${token ?? ''}`, 'content-type': 'application/json' };
    const temp = await fetch(`${suite.service.base}/api/voice-agents`, { method: 'POST', headers, body: JSON.stringify({ name: 'Temp bot', provider: 'vapi', service_value: '+12125550902' }) });
    const { id } = (await temp.json()) as { id: number };
    expect((await fetch(`${suite.service.base}/api/voice-agents/${id}`, { method: 'DELETE', headers: { authorization: headers.authorization } })).status).toBe(204);
    await nav(page, 'Audit');
    await page.getByRole('link', { name: 'Configuration changes' }).click();
    const table = page.getByRole('table', { name: 'Configuration changes' });
    await table.getByRole('cell', { name: 'Agent Sales bot', exact: true }).first().waitFor();
    await table.getByRole('cell', { name: `Deleted agent #${id}`, exact: true }).first().waitFor();
    await table.getByRole('cell', { name: 'Agent deleted', exact: true }).waitFor();
    expect(await table.getByRole('cell', { name: admin.name }).count()).toBeGreaterThan(0);
    await screenshot(page, 'audit-names');
  });
});
