import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite } from './browser-suite.js';
import { screenshot } from './harness.js';
import { apiAs, apiRequest, nav, signIn } from './page-helpers.js';

/**
 * A weighted split made in Chromium: the rule form's "Split traffic" arms with the live sum
 * check (90% is called out before saving, and the server's refusal is shown), the rules list
 * reads "A 70% / B 30%", calls arriving as Cloudonix webhooks follow it, and the results dialog
 * compares the arms, saying plainly that ten calls are too few to tell. Any console error fails.
 */
const admin = { name: 'Abe Split', email: 'abe@example.com', password: 'Copper-Lantern-Meadow-48' };
const domain = 'split.cloudonix.net';

describe('sqlite: weighted splits in the rule form and the split results', () => {
  const suite = browserSuite({ firstTenant: { admin, tenantName: 'Split Co', domain } });
  let page: Page;
  const dialog = () => page.getByRole('dialog');

  beforeAll(() => {
    page = suite.page;
  });

  it('creates a 70/30 split, routes calls by it, and compares the arms', async () => {
    const base = suite.service.base;
    await signIn(page, base, admin.email, admin.password);
    await apiRequest(page, base, 'POST', '/api/voice-agents', { name: 'Prompt A', provider: 'vapi', service_value: '+12125550981' });
    await apiRequest(page, base, 'POST', '/api/voice-agents', { name: 'Prompt B', provider: 'vapi', service_value: '+12125550982' });

    await page.reload();
    await nav(page, 'Rules');
    await page.getByRole('button', { name: 'New inbound rule' }).click();
    await dialog().getByLabel('Dialled number pattern').fill('+1646*');
    await dialog().getByLabel('Send to').selectOption('split');
    await dialog().getByLabel('Name', { exact: true }).fill('Prompt test');
    await dialog().getByLabel('Arm 1 target').selectOption({ label: 'Prompt A' });
    await dialog().getByLabel('Arm 2 target').selectOption({ label: 'Prompt B' });
    await dialog().getByLabel('Arm 1 percent').fill('70');
    await dialog().getByLabel('Arm 2 percent').fill('20');
    await dialog().getByText('Total: 90% (must be 100%)').waitFor();
    await dialog().getByRole('button', { name: 'Create rule' }).click();
    await dialog().getByText('percents must add up to 100 (they add up to 90)').waitFor();
    await dialog().getByLabel('Arm 2 percent').fill('30');
    await dialog().getByText('Total: 100%').waitFor();
    await screenshot(page, 'split-rule-form');
    await dialog().getByRole('button', { name: 'Create rule' }).click();
    await dialog().waitFor({ state: 'hidden' });
    await page.getByText('A 70% / B 30%').waitFor();

    // Ten calls as Cloudonix sends them: seven to A, three to B, in that rhythm.
    const { webhook_secret: secret } = await apiAs<{ webhook_secret: string }>(page, base, '/api/tenant');
    const dialled: string[] = [];
    for (let i = 0; i < 10; i++) {
      const session = `e2esplit${String(i).padStart(24, '0')}`;
      const res = await page.request.post(`${base}/api/voice/application/${domain}`, {
        headers: { authorization: `Bearer ${secret}` },
        data: {
          ApiVersion: '1', Session: session, CallSid: session, AccountSid: domain, Domain: domain, From: '+14155550123', To: '+16465550100', CallerName: '+14155550123',
          Direction: 'inbound', CallStatus: 'in-progress', SessionData: { token: session, status: 'processing', callStartTime: Date.now(), domainNameOrId: domain },
        },
      });
      const xml = await res.text();
      dialled.push(xml.includes('+12125550981') ? 'A' : xml.includes('+12125550982') ? 'B' : '?');
      await page.request.post(`${base}/api/voice/session/cdr/${domain}?token=${secret}`, { data: { domain, disposition: i % 2 ? 'ANSWER' : 'NOANSWER', duration: 40, billsec: i % 2 ? 35 : 0, session: { token: session } } });
    }
    expect(dialled.filter((d) => d === 'A')).toHaveLength(7);
    expect(dialled.filter((d) => d === 'B')).toHaveLength(3);

    await page.getByRole('button', { name: 'Results of A 70% / B 30%' }).click();
    await dialog().getByText(/Too few calls to tell yet/).waitFor();
    await dialog().getByRole('listitem', { name: 'Arm A' }).getByText(/of 7 calls/).waitFor();
    await dialog().getByRole('listitem', { name: 'Arm B' }).getByText(/of 3 calls/).waitFor();
    await screenshot(page, 'split-results');
    await dialog().getByRole('button', { name: 'Close' }).click();
  });

  it('fits a phone in the dark scheme: the arms editor and the results', async () => {
    const phone = await suite.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    await signIn(phone, suite.service.base, admin.email, admin.password);
    await nav(phone, 'Rules');
    await phone.getByRole('button', { name: 'Results of A 70% / B 30%' }).click();
    await phone.getByRole('dialog').getByText(/Too few calls to tell yet/).waitFor();
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, 'split-results-phone-dark');
    await phone.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await phone.getByRole('button', { name: /^Edit / }).first().click();
    await phone.getByRole('dialog').getByText('Total: 100%').waitFor();
    await screenshot(phone, 'split-form-phone-dark');
  });
});
