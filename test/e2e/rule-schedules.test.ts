import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { screenshot } from './harness.js';
import { apiAs, apiRequest, nav, signIn } from './page-helpers.js';

/**
 * Opening hours on a rule, made in Chromium: the rule form's schedule editor refuses a window
 * of no time, saves weekday hours and a holiday, the rules list sums them up, and the rule
 * tester tried at an evening moment says the rule was skipped outside hours and the next rule
 * answers. Any console error fails the test.
 */
const admin = { name: 'Hana Hours', email: 'hana@example.com', password: 'Copper-Lantern-Meadow-47' };

describe('sqlite: schedules on rules in the rule form and the rule tester', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Hours Co', domain: 'hours.cloudonix.net' } });
  let page: Page;
  const dialog = () => page.getByRole('dialog');

  beforeAll(() => {
    page = suite.page;
  });

  it('creates an office-hours rule with a holiday, and the tester skips it outside hours', async () => {
    const base = suite.service.base;
    await signIn(page, base, admin.email, admin.password);
    await apiRequest(page, base, 'PUT', '/api/tenant', { settings: { timezone: 'America/New_York' } });
    await apiRequest(page, base, 'POST', '/api/voice-agents', { name: 'Day desk', provider: 'vapi', service_value: '+12125550971' });
    const night = await apiRequest<{ id: number }>(page, base, 'POST', '/api/voice-agents', { name: 'Night desk', provider: 'vapi', service_value: '+12125550972' });
    await apiRequest(page, base, 'POST', '/api/inbound-routing-rules', { name: 'After hours', pattern: '+1212*', target_type: 'agent', target_id: night.id, priority: 2 });

    // The dashboard read the tenant before its time zone changed.
    await page.reload();
    await nav(page, 'Rules');
    await page.getByRole('button', { name: 'New inbound rule' }).click();
    await dialog().getByLabel('Dialled number pattern').fill('+1212555????');
    await dialog().getByLabel('Send to').selectOption('agent');
    await dialog().getByLabel('Agent', { exact: true }).selectOption({ label: 'Day desk' });
    await dialog().getByLabel('Name', { exact: true }).fill('Office hours');
    await dialog().getByLabel('Priority').fill('1');
    await dialog().getByRole('switch', { name: 'Only at set hours' }).click();
    await dialog().getByText(/Times are in America\/New_York/).waitFor();
    // The switch starts with Mon–Fri 09:00–17:00; a window of no time is refused, saying why.
    await dialog().getByLabel('Window 1 to').fill('09:00');
    await dialog().getByRole('button', { name: 'Create rule' }).click();
    await dialog().getByText(/must differ from the start/).waitFor();
    await dialog().getByLabel('Window 1 to').fill('17:30');
    await dialog().getByRole('button', { name: 'Add holiday' }).click();
    await dialog().getByLabel('Holiday 1 date').fill('2026-12-25');
    await dialog().getByLabel('Holiday 1 name').fill('Christmas');
    await screenshot(page, 'rule-schedule-form');
    await dialog().getByRole('button', { name: 'Create rule' }).click();
    await dialog().waitFor({ state: 'hidden' });

    await page.getByText('Mon–Fri 09:00–17:30 · 1 holiday').waitFor();
    const rules = await apiAs<{ data: { name: string | null; schedule: unknown }[] }>(page, base, '/api/inbound-routing-rules');
    expect(rules.data.find((r) => r.name === 'Office hours')?.schedule).toEqual({
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:30' }],
      holidays: [{ date: '2026-12-25', name: 'Christmas', hours: [] }],
    });

    const tester = page.getByRole('form', { name: 'Test a number' });
    const decision = page.getByRole('list', { name: 'Routing decision' });
    await tester.getByLabel('Dialled number (to)').fill('+12125550187');
    await tester.getByLabel('When (optional)').fill('2026-12-03T20:00'); // a Thursday evening in New York
    await tester.getByRole('button', { name: 'Test routing' }).click();
    await decision.getByText('Rule Office hours skipped: outside hours').waitFor();
    await decision.getByText(/Night desk — would answer/).waitFor();
    await page.getByText(/\(America\/New_York\)\.$/).waitFor();
    await screenshot(page, 'rule-schedule-tester-skipped');

    await tester.getByLabel('When (optional)').fill('2026-12-03T10:00');
    await tester.getByRole('button', { name: 'Test routing' }).click();
    await decision.getByText(/Day desk — would answer/).waitFor();
    expect(await decision.getByText(/skipped: outside hours/).count()).toBe(0);
  });

  it('fits a phone in the dark scheme: the schedule editor and the summary, nothing cut', async () => {
    const phone = await suite.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    await signIn(phone, suite.service.base, admin.email, admin.password);
    await nav(phone, 'Rules');
    await phone.getByText('Mon–Fri 09:00–17:30 · 1 holiday').waitFor();
    await phone.getByRole('button', { name: 'Edit rule Office hours' }).click();
    const editor = phone.getByRole('dialog');
    expect(await editor.getByLabel('Window 1 to').inputValue()).toBe('17:30');
    expect(await editor.getByLabel('Holiday 1 name').inputValue()).toBe('Christmas');
    await editor.getByLabel('Holiday 1 name').scrollIntoViewIfNeeded();
    const box = await editor.getByRole('group', { name: 'Days of window 1' }).boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(phone, 'rule-schedule-form-phone-dark');
  });
});
