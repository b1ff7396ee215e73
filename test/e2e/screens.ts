/**
 * Screenshots of every page for looking at (not a test): `npm run screens [-- --out DIR]`.
 * Builds what is stale, starts the real service on 127.0.0.1 over a fresh SQLite database,
 * registers a tenant, seeds agents, groups, rules, simulated calls (some left live) and a
 * fortnight of synthetic history, then captures each page at 1280, 768 and 390 px in the
 * light and the dark colour scheme into DIR (default /tmp/vlb-screens; --only, --widths and
 * --schemes take a subset, e.g. --only dashboard --widths 390 --schemes dark). Run it under the
 * e2e lock (`flock /tmp/e2e.lock npm run screens`): it serves the shared dist/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt, launchBrowser, root, simulate, startService, type Service } from './harness.js';

// --only dashboard,agents, --widths 390, --schemes dark: a subset, for a quicker look.
const { values } = parseArgs({
  options: { out: { type: 'string', default: '/tmp/vlb-screens' }, only: { type: 'string' }, widths: { type: 'string' }, schemes: { type: 'string' } },
});
const outDir = values.out;
const admin = { name: 'Ada Admin', email: 'ada@example.com', password: 'admin-pass-1' };
const domain = 'acme.cloudonix.net';
const widths = (values.widths ?? '1280,768,390').split(',').map(Number);
const schemes = (values.schemes ?? 'light,dark').split(',').filter((s): s is 'light' | 'dark' => s === 'light' || s === 'dark');

async function call<T>(service: Service, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${service.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (res.status === 204 ? null : await res.json()) as T;
}

/** Agents, two groups, inbound and outbound rules, an analyst, calls of every outcome, a few still live, history. */
async function seed(service: Service): Promise<{ token: string; groupId: number }> {
  const reg = await fetch(`${service.base}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: admin.name, email: admin.email, password: admin.password, password_confirmation: admin.password, tenant_name: 'Acme Voice', domain }),
  });
  if (reg.status !== 201) throw new Error(`register answered ${reg.status}: ${await reg.text()}`);
  const { token } = (await reg.json()) as { token: string };
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(service, token, method, path, body);

  const agents: number[] = [];
  for (const [name, provider, n, cap] of [
    ['Sales bot', 'vapi', 1, 5],
    ['Support assistant', 'retell', 2, 3],
    ['After-hours receptionist', 'elevenlabs', 3, 2],
    ['Spanish line', 'ultravox', 4, null],
    ['Billing helper', 'synthflow', 5, 4],
  ] as const) {
    const a = await api<{ id: number }>('POST', '/api/voice-agents', {
      name,
      provider,
      service_value: `+1212555090${n}`,
      ...(cap ? { max_concurrent_calls: cap } : {}),
      description: `${name} for the screenshot tour`,
    });
    agents.push(a.id);
  }
  const sales = await api<{ id: number }>('POST', '/api/agent-groups', { name: 'Sales team', strategy: 'round_robin', settings: {} });
  const support = await api<{ id: number }>('POST', '/api/agent-groups', { name: 'Support pool', strategy: 'load_balanced', settings: { window_hours: 24 } });
  for (const [group, agentIds] of [
    [sales.id, agents.slice(0, 3)],
    [support.id, agents.slice(2)],
  ] as const) {
    for (const [i, id] of agentIds.entries()) await api('POST', `/api/agent-groups/${group}/members`, { agent_id: id, priority: i + 1, capacity: 1 });
  }
  await api('POST', '/api/inbound-routing-rules', { name: 'Sales numbers', pattern: '+1212555018?', target_type: 'group', target_id: sales.id, priority: 10 });
  await api('POST', '/api/inbound-routing-rules', { name: 'Support line', pattern: '+1212555020?', target_type: 'group', target_id: support.id, priority: 20 });
  await api('POST', '/api/inbound-routing-rules', { name: 'Spanish', pattern: '+3491*', target_type: 'agent', target_id: agents[3], priority: 30 });
  await api('POST', '/api/outbound-routing-rules', { name: 'US callbacks', caller_id: '+1212555090?', destination_pattern: '+1*', trunk_config: { trunks: ['us-east'] }, priority: 10 });
  await api('POST', '/api/users', { name: 'Ann Analyst', email: 'ann@example.com', password: 'analyst-pass-1', role: 'analyst' });

  const { webhook_secret: secret } = await api<{ webhook_secret: string }>('GET', '/api/tenant');
  const cx = ['--url', service.base, '--domain', domain, '--secret', secret];
  simulate(['load', ...cx, '--to', '+12125550187', '--calls', '30', '--concurrency', '3', '--seed', '7']);
  simulate(['load', ...cx, '--to', '+12125550201', '--calls', '12', '--concurrency', '3', '--seed', '8']);
  simulate(['load', ...cx, '--to', '+12125550187', '--calls', '4', '--concurrency', '2', '--seed', '9', '--voice-only']);
  // Two weeks of synthetic history for the charts (straight into the database, beside the running service).
  const r = spawnSync(process.execPath, ['dist/cli/main.js', 'seed', '--domain', domain, '--calls', '600', '--days', '14', '--seed', '3'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: service.dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`seed failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  await api('POST', '/api/exports', { format: 'csv' });
  await api('POST', '/api/exports', { format: 'json', filters: { status: 'completed' } });
  return { token, groupId: sales.id };
}

interface Shot {
  name: string;
  path: string;
  signedIn?: boolean;
  /** Taken on the empty installation, before the tenant registers. */
  beforeSeed?: boolean;
  /** A dialog is open: the picture is the viewport (a full-page one stretches the page behind it). */
  viewportOnly?: boolean;
  /** Waits for the page's content, or opens what the picture should show. */
  prepare?: (page: Page) => Promise<void>;
}

function shots(groupId = 0): Shot[] {
  const heading = (name: string | RegExp) => (page: Page) => page.getByRole('heading', { name, level: 1 }).first().waitFor();
  return [
    {
      name: 'menu',
      path: '/',
      viewportOnly: true,
      prepare: async (p) => {
        await p.getByRole('heading', { name: 'Dashboard' }).waitFor();
        // Phones and tablets only: from 1024 px the sidebar is the menu.
        if ((p.viewportSize()?.width ?? 0) < 1024) await p.getByRole('button', { name: 'Menu' }).click();
      },
    },
    { name: 'login', path: '/login', signedIn: false, prepare: heading(/sign in/i) },
    // Taken before the first tenant registers: the form a first run opens on.
    { name: 'register', path: '/register', signedIn: false, beforeSeed: true, prepare: (p) => p.getByRole('button', { name: 'Create tenant' }).waitFor() },
    // Once the installation has its tenant: what SIGNUP's default policy shows a second visitor.
    { name: 'register-closed', path: '/register', signedIn: false, prepare: (p) => p.getByRole('heading', { level: 1 }).first().waitFor() },
    { name: 'dashboard', path: '/', prepare: heading('Dashboard') },
    {
      name: 'dashboard-tooltip',
      path: '/',
      viewportOnly: true,
      prepare: async (p) => {
        // The chart redraws as live events arrive: point at its area, not at one bar.
        const chart = p.locator('.recharts-wrapper').first();
        await chart.scrollIntoViewIfNeeded();
        const box = await chart.boundingBox();
        if (box) await p.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.5);
        await p.locator('.recharts-tooltip-wrapper:visible').first().waitFor();
      },
    },
    { name: 'live-calls', path: '/live-calls', prepare: heading('Live calls') },
    { name: 'call-records', path: '/call-records', prepare: (p) => p.locator('tbody tr').first().waitFor() },
    {
      name: 'call-record-drawer',
      path: '/call-records',
      viewportOnly: true,
      prepare: async (p) => {
        await p.locator('tbody tr').first().locator('button').first().click();
        await p.getByRole('dialog').waitFor();
      },
    },
    { name: 'agents', path: '/agents', prepare: (p) => p.locator('tbody tr').first().waitFor() },
    {
      name: 'agent-form',
      path: '/agents',
      viewportOnly: true,
      prepare: async (p) => {
        await p.getByRole('button', { name: 'New agent' }).click();
        await p.getByRole('dialog').waitFor();
      },
    },
    { name: 'groups', path: '/groups', prepare: heading('Groups') },
    { name: 'group-page', path: `/groups/${groupId}`, prepare: heading('Sales team') },
    {
      name: 'rules-inbound',
      path: '/rules?tab=inbound',
      prepare: async (p) => {
        await p.getByText('Sales numbers').first().waitFor();
        const form = p.getByRole('form', { name: 'Test a number' });
        await form.getByLabel('Dialled number (to)').fill('+12125550187');
        await form.getByRole('button', { name: 'Test routing' }).click();
        await p.locator('[aria-live="polite"]').last().waitFor();
      },
    },
    { name: 'rules-outbound', path: '/rules?tab=outbound', prepare: (p) => p.getByText('US callbacks').first().waitFor() },
    { name: 'exports', path: '/exports', prepare: (p) => p.locator('tbody tr').first().waitFor() },
    { name: 'users', path: '/users', prepare: (p) => p.getByText('Ann Analyst').first().waitFor() },
    { name: 'audit', path: '/audit', prepare: heading('Audit') },
    { name: 'settings', path: '/settings', prepare: heading('Settings') },
  ];
}

async function capture(browser: Browser, service: Service, token: string, list: Shot[]): Promise<string[]> {
  const problems: string[] = [];
  for (const scheme of schemes) {
    for (const width of widths) {
      for (const shot of list) {
        const context = await browser.newContext({ viewport: { width, height: width < 500 ? 844 : 900 }, colorScheme: scheme });
        if (shot.signedIn !== false) await context.addInitScript((t) => localStorage.setItem('vlb.token', t), token);
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`${shot.name} ${width} ${scheme}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`${shot.name} ${width} ${scheme}: uncaught ${e.message}`));
        try {
          await page.goto(`${service.base}${shot.path}`);
          await shot.prepare?.(page);
          await page.waitForTimeout(400);
          // From the top: a page scrolled to a control would draw the sticky top bar mid-picture.
          if (!shot.viewportOnly) await page.evaluate(() => window.scrollTo(0, 0));
          const overflow = await page.evaluate(() => document.scrollingElement!.scrollWidth - window.innerWidth);
          if (overflow > 0) problems.push(`${shot.name} ${width} ${scheme}: the page scrolls sideways by ${overflow} px`);
          await page.screenshot({ path: join(outDir, `${shot.name}-${width}-${scheme}.png`), fullPage: !shot.viewportOnly });
        } catch (err) {
          problems.push(`${shot.name} ${width} ${scheme}: ${(err as Error).message.split('\n')[0]}`);
        } finally {
          await context.close();
        }
      }
    }
  }
  return problems;
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  ensureBuilt();
  const service = await startService();
  let browser: Browser | undefined;
  // However it ends, nothing outlives the run.
  const timer = setTimeout(() => {
    console.error('screens: gave up after 10 minutes');
    void service.stop().finally(() => process.exit(1));
  }, 600_000);
  try {
    const wanted = (s: Shot) => !values.only || values.only.split(',').includes(s.name);
    browser = await launchBrowser();
    const first = shots().filter((s) => s.beforeSeed && wanted(s));
    const problems = await capture(browser, service, '', first);
    const { token, groupId } = await seed(service);
    const list = shots(groupId).filter((s) => !s.beforeSeed && wanted(s));
    problems.push(...(await capture(browser, service, token, list)));
    console.log(`screens: ${(first.length + list.length) * widths.length * schemes.length} pictures in ${outDir} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    if (problems.length > 0) console.log(`problems:\n${problems.join('\n')}`);
  } finally {
    clearTimeout(timer);
    await browser?.close();
    await service.stop();
  }
}

await main();
