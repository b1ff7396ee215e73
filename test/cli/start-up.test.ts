import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src/cli/runtime.js';
import { parseConfig } from '../../src/core/config.js';
import { AppKeyMismatchError } from '../../src/services/app-key-check.js';
import { createLogger } from '../../src/services/logger.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vlb-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function cli(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('start-up', () => {
  it('a bad value stops start-up with a message naming the variable', () => {
    const r = cli(['serve'], { PORT: 'eighty', DATA_DIR: tempDir() });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/); // a message, not a stack trace
  });

  it('DATABASE_URL without APP_KEY is refused', () => {
    const r = cli(['migrate'], { DATABASE_URL: `sqlite:${join(tempDir(), 'x.sqlite')}` });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('APP_KEY');
  });

  it('migrate creates the embedded database and its key on first run, then finds nothing to do', () => {
    const dataDir = tempDir();
    const first = cli(['migrate'], { DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('applied: 0001-tenants-and-users');
    expect(existsSync(join(dataDir, 'voice-lb.sqlite'))).toBe(true);
    expect(readFileSync(join(dataDir, 'app.key'), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    const second = cli(['migrate'], { DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    expect(second.stdout).toContain('database is up to date');
  });

  it('a wrong APP_KEY fails loudly at start, not silently later', async () => {
    const dataDir = tempDir();
    const logger = createLogger('silent');
    const url = `sqlite:${join(dataDir, 'db.sqlite')}`;
    const first = await openRuntime(parseConfig({ DATABASE_URL: url, APP_KEY: randomBytes(32).toString('hex'), DATA_DIR: dataDir }), logger, { migrate: true });
    await first.close();
    await expect(
      openRuntime(parseConfig({ DATABASE_URL: url, APP_KEY: randomBytes(32).toString('hex'), DATA_DIR: dataDir }), logger, { migrate: true }),
    ).rejects.toBeInstanceOf(AppKeyMismatchError);
    const r = cli(['serve'], { DATABASE_URL: url, APP_KEY: randomBytes(32).toString('hex'), PORT: '0', LOG_LEVEL: 'silent' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('APP_KEY does not match');
  });
});
