import BetterSqlite3 from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { freePort } from '../support/free-port.js';

/**
 * The real service for browser tests: built by the project's own `ensure-build`
 * (which rebuilds only what is stale), started with the real CLI on a free port over
 * a fresh embedded SQLite database, and driven by Debian's Chromium.
 */
export const root = resolve(import.meta.dirname, '../..');
/** Debian's Chromium; CHROMIUM_PATH points elsewhere (e.g. to check that a missing browser fails the suite). */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const screenshotDir = join(root, 'test-results', 'screenshots');

export interface Service {
  base: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** `npm run build` for whatever is older than its sources (server and UI), as `npm start` does. */
export function ensureBuilt(): void {
  // Vitest sets NODE_ENV=test; a UI built under it would bundle React's development build.
  const env = { ...process.env };
  delete env.NODE_ENV;
  const r = spawnSync(process.execPath, ['scripts/ensure-build.mjs'], { cwd: root, env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  if (!existsSync(join(root, 'dist', 'web', 'index.html'))) throw new Error('dist/web/index.html is missing after the build');
}

/** `env`: extra variables for the server (e.g. CLOUDONIX_API_URL at a fake Cloudonix started by the test). */
export async function startService(env: Readonly<Record<string, string>> = {}): Promise<Service> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(process.execPath, ['dist/cli/main.js', 'serve'], {
    cwd: root,
    // No load balancer to tell: stopping need not wait out the drain (SHUTDOWN_DRAIN_MS, 5 s by default).
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', SHUTDOWN_DRAIN_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(`${base}/up`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    dataDir,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: apt-get install -y --no-install-recommends chromium (.ci/run does it)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Whether the server has the real-time channel: `/ws` answers 404 only when no such
 * route exists (a bad token gets 401 or a closed socket). Without it the UI polls.
 */
export function serverHasWebSocket(base: string): Promise<boolean> {
  return new Promise((done) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws?token=probe`);
    const finish = (has: boolean) => {
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      done(has);
    };
    ws.on('open', () => finish(true));
    ws.on('unexpected-response', (_request, response) => finish(response.statusCode !== 404));
    ws.on('error', () => finish(false));
  });
}

/**
 * Every console error and uncaught exception of the pages, except the ones a step
 * announced it expects (a 401 on a wrong password).
 */
export class ConsoleWatch {
  readonly errors: string[] = [];
  /** Failed HTTP responses, to explain a "Failed to load resource" error. */
  readonly failedResponses: string[] = [];
  private expected: RegExp[] = [];
  /** Always tolerated (e.g. the WebSocket handshake while the server has no /ws). */
  tolerated: RegExp[] = [];

  attach(context: BrowserContext): void {
    context.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      if ([...this.expected, ...this.tolerated].some((re) => re.test(text))) return;
      this.errors.push(`${message.page()?.url() ?? '?'}: ${text}`);
    });
    context.on('weberror', (error) => this.errors.push(`uncaught: ${error.error().message}`));
    context.on('response', (response) => {
      if (response.status() >= 400) this.failedResponses.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    });
  }

  async expecting<T>(patterns: RegExp[], step: () => Promise<T>): Promise<T> {
    this.expected = patterns;
    try {
      return await step();
    } finally {
      this.expected = [];
    }
  }
}

let shot = 0;
/** A full-page screenshot in test-results/screenshots (git-ignored), numbered in flow order. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  shot += 1;
  // Let colour transitions (150 ms) settle, so the active link is the one that looks active.
  await page.waitForTimeout(300);
  // From the top: a page scrolled down (to a control further on) would draw the sticky shell in the middle of the picture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(screenshotDir, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
}

/** Runs the webhook simulator CLI against the service (a Cloudonix stand-in). */
export function simulate(args: string[]): string {
  const r = spawnSync(process.execPath, ['dist/cli/simulate.js', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`simulate ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Moves every webhook audit row `ms` into the past, as if the service had received it that
 * long ago, so the webhook wiring check's grace periods (minutes, on the server's real clock)
 * pass without waiting them out. The audit is written in batches, so this first waits for
 * `session`'s rows of the given types to land.
 */
export async function ageWebhookAudit(service: Service, ms: number, session: string, types: readonly string[]): Promise<void> {
  const db = new BetterSqlite3(join(service.dataDir, 'voice-lb.sqlite'));
  try {
    db.pragma('busy_timeout = 5000');
    const landed = db.prepare('SELECT COUNT(DISTINCT event_type) AS n FROM webhook_audit WHERE session_token = ? AND event_type IN (SELECT value FROM json_each(?))');
    const deadline = Date.now() + 10_000;
    while ((landed.get(session, JSON.stringify(types)) as { n: number }).n < types.length) {
      if (Date.now() > deadline) throw new Error(`the webhook audit rows of ${session} (${types.join(', ')}) were not written`);
      await new Promise((r) => setTimeout(r, 100));
    }
    db.prepare('UPDATE webhook_audit SET received_at = received_at - ?').run(ms);
  } finally {
    db.close();
  }
}
