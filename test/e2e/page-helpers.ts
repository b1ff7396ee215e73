import type { BrowserContext, Page } from 'playwright-core';

/** The main navigation (the sidebar on desktops; the menu sheet, opened first, on tablets and phones), so pages change without a reload. */
export async function nav(page: Page, label: string): Promise<void> {
  const visible = page.locator('nav[aria-label="Main"]:visible');
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  // Right after a sign-in the shell may not be drawn yet: wait for one of the two to show.
  await visible.or(menu).first().waitFor();
  if ((await visible.count()) === 0) await menu.click();
  await visible.getByRole('link', { name: label, exact: true }).click();
}

/** A JSON request with the token the page holds; a refusal (3xx and above) throws with the answer. */
export async function apiRequest<T>(page: Page, base: string, method: string, path: string, body?: unknown): Promise<T> {
  const token = await page.evaluate(() => localStorage.getItem('vlb.token'));
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** A JSON GET with the token the page holds. */
export const apiAs = <T>(page: Page, base: string, path: string): Promise<T> => apiRequest<T>(page, base, 'GET', path);

/**
 * Controls that would change configuration, in the page body: write buttons, enabled
 * switches and drag handles, and enabled inputs of forms other than filters and "Test a number".
 */
export async function writeControls(page: Page): Promise<string[]> {
  const main = page.locator('main');
  const buttons = main.getByRole('button', { name: /^(New|Add|Edit|Delete|Save|Rotate|Create|Remove|Move|Disable|Enable)\b/ });
  const switches = main.locator('[role=switch]:not([disabled])');
  const inputs = main.locator('form[aria-label]:not([aria-label$="filters"]):not([aria-label="Test a number"]) :is(input, select, textarea):not(:disabled)');
  const found: string[] = [];
  for (const loc of [buttons, switches, inputs]) {
    for (const el of await loc.all()) found.push((await el.getAttribute('aria-label')) ?? (await el.innerText()));
  }
  return found;
}

/** Every WebSocket the pages open fails at once, as when `/ws` is refused or absent. */
export async function refuseWebSockets(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    class RefusedSocket extends EventTarget {
      static readonly CONNECTING = 0;
      static readonly OPEN = 1;
      static readonly CLOSING = 2;
      static readonly CLOSED = 3;
      readyState = 0;
      onopen: ((e: Event) => void) | null = null;
      onmessage: ((e: MessageEvent) => void) | null = null;
      onerror: ((e: Event) => void) | null = null;
      onclose: ((e: CloseEvent) => void) | null = null;
      constructor() {
        super();
        setTimeout(() => {
          this.readyState = 3;
          this.onerror?.(new Event('error'));
          this.onclose?.(new CloseEvent('close', { code: 1006 }));
        }, 20);
      }
      send(): void {}
      close(): void {
        this.readyState = 3;
      }
    }
    Object.defineProperty(window, 'WebSocket', { value: RefusedSocket });
  });
}

/** Signs in on the login page and waits for the dashboard. */
export async function signIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}
