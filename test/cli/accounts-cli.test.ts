import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src/cli/runtime.js';
import { parseConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/services/logger.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vlb-cli-accounts-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: 'https://lb.example.test', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}
const tokenIn = (text: string) => /#token=([A-Za-z0-9_-]+)/.exec(text)?.[1] ?? '';

async function withRuntime<T>(work: (r: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), createLogger('silent'), { migrate: true });
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

describe('operator CLI: create-tenant and reset-password', () => {
  it('create-tenant adds a tenant under SIGNUP=first and prints a single-use link for its admin to set a password', async () => {
    const first = cli(['create-tenant', '--domain', 'one.cloudonix.net', '--name', 'One', '--email', 'Admin@One.test']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('created tenant one.cloudonix.net');
    expect(first.stdout).toContain('https://lb.example.test/reset-password#token=');
    // Another tenant on the same installation: the CLI is how an operator adds one when registration is closed.
    const second = cli(['create-tenant', '--domain', 'two.cloudonix.net', '--email', 'admin@two.test'], { NEW_USER_PASSWORD: 'Amber falcon over 7 hills' });
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).not.toContain('#token=');
    const again = cli(['create-tenant', '--domain', 'one.cloudonix.net', '--email', 'other@one.test']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already has a tenant');
    await withRuntime(async ({ services }) => {
      const password = 'Copper kettle sings 42';
      const signedIn = await services.passwords.reset({ token: tokenIn(first.stdout), password, password_confirmation: password }, null);
      expect(signedIn.user).toMatchObject({ email: 'admin@one.test', role: 'admin' });
      expect((await services.auth.login({ email: 'admin@two.test', password: 'Amber falcon over 7 hills' })).user.email).toBe('admin@two.test');
      expect((await services.auth.signupPolicy()).registration_open).toBe(false);
    });
  });

  it('reset-password refuses a weak password, sets a strong one, or prints a link; unknown emails fail', async () => {
    const weak = cli(['reset-password', 'admin@two.test', '--password', 'password123']);
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/too easy to guess/);
    const set = cli(['reset-password', 'admin@two.test'], { NEW_USER_PASSWORD: 'Violet harbour at dawn' });
    expect(set.status, set.stderr).toBe(0);
    const link = cli(['reset-password', 'ADMIN@two.test']);
    expect(link.status, link.stderr).toBe(0);
    expect(tokenIn(link.stdout)).not.toBe('');
    expect(cli(['reset-password', 'nobody@two.test']).stderr).toContain('no user has the email');
    await withRuntime(async ({ services }) => {
      expect((await services.auth.login({ email: 'admin@two.test', password: 'Violet harbour at dawn' })).user.email).toBe('admin@two.test');
    });
  });
});
