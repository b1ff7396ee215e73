import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { ConsoleWatch, ensureBuilt, launchBrowser, serverHasWebSocket, startService, type Service } from './harness.js';

const WEBSOCKET_REFUSED = /WebSocket connection to '.*\/ws\?.*' failed/;

export interface FirstTenant {
  admin: { name: string; email: string; password: string };
  tenantName: string;
  domain: string;
}

export interface BrowserSuiteOptions {
  /** Registered through the API once the service is up (the first tenant of an empty installation registers itself). */
  firstTenant?: FirstTenant;
  /** Options of the page opened for the suite (`suite.page`). */
  context?: BrowserContextOptions;
  /** Permissions granted to that page for the service's origin. */
  permissions?: string[];
  /** Milliseconds a step may wait (CI runs browser suites beside the database suites on two cores). */
  stepTimeoutMs?: number;
  /** Tolerate refused real-time handshakes even when the server has /ws (suites not about it). */
  ignoreWebSocket?: boolean;
  /**
   * Extra environment of the server, read when it starts (after the `beforeAll` hooks registered
   * before this suite), so a test can first start a fake Cloudonix and hand over its URL.
   */
  env?: () => Readonly<Record<string, string>>;
}

export interface BrowserSuite {
  readonly service: Service;
  readonly browser: Browser;
  readonly watch: ConsoleWatch;
  /** The page opened for the suite in its own context. */
  readonly page: Page;
  /** Another page in a fresh context (another person, another browser), closed with the suite. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

async function register(base: string, t: FirstTenant): Promise<void> {
  const res = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: t.admin.name, email: t.admin.email, password: t.admin.password, password_confirmation: t.admin.password, tenant_name: t.tenantName, domain: t.domain }),
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
}

/**
 * The life of a browser suite against the real service (built, started from the CLI on an
 * empty SQLite installation): set up once, any console error fails the step that caused it,
 * and a set-up failure (no Chromium, a broken build) fails every test with its reason rather
 * than skipping them. Call it inside `describe`.
 */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  const watch = new ConsoleWatch();
  const contexts: BrowserContext[] = [];
  let service: Service | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  let setupError: unknown = null;

  async function newPage(contextOptions: BrowserContextOptions = {}, permissions: string[] = []): Promise<Page> {
    if (!browser || !service) throw new Error('the browser suite is not set up');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...contextOptions });
    if (permissions.length > 0) await context.grantPermissions(permissions, { origin: service.base });
    watch.attach(context);
    contexts.push(context);
    const p = await context.newPage();
    p.setDefaultTimeout(options.stepTimeoutMs ?? 15_000);
    return p;
  }

  beforeAll(async () => {
    try {
      ensureBuilt();
      service = await startService(options.env?.() ?? {});
      if (options.firstTenant) await register(service.base, options.firstTenant);
      browser = await launchBrowser();
      if (options.ignoreWebSocket || !(await serverHasWebSocket(service.base))) watch.tolerated = [WEBSOCKET_REFUSED];
      page = await newPage(options.context, options.permissions);
    } catch (err) {
      setupError = err;
    }
  }, 600_000);

  beforeEach(() => {
    if (setupError) throw setupError;
  });

  afterEach(() => {
    const details = `failed responses:\n${watch.failedResponses.join('\n')}\nserver log:\n${service?.output().slice(-2000) ?? ''}`;
    expect(watch.errors, details).toEqual([]);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await service?.stop();
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the browser suite is not set up');
    return value;
  };
  return {
    get service() {
      return ready(service);
    },
    get browser() {
      return ready(browser);
    },
    watch,
    get page() {
      return ready(page);
    },
    newPage: (contextOptions) => newPage(contextOptions),
  };
}
