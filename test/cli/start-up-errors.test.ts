import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { openRuntime } from '../../src/cli/runtime.js';
import { StartUpError } from '../../src/cli/start-up-errors.js';
import { parseConfig } from '../../src/core/config.js';
import { createLogger } from '../../src/services/logger.js';
import { DIALECTS } from '../support/backends.js';
import { freePort } from '../support/free-port.js';

// DIALECTS makes a missing TEST_*_URL an error under CI (REQUIRE_ALL_BACKENDS), never a silent skip.
const mysqlUrl = DIALECTS.some((d) => d.name === 'mysql') ? process.env.TEST_MYSQL_URL : undefined;
const postgresUrl = DIALECTS.some((d) => d.name === 'postgres') ? process.env.TEST_POSTGRES_URL : undefined;

const root = mkdtempSync(join(tmpdir(), 'vlb-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const dataDir = () => join(root, randomBytes(4).toString('hex'));

/** What `voice-lb migrate` (or serve) says when opening fails: the same openRuntime, with its log captured. */
async function openFails(env: Record<string, string>): Promise<string> {
  const config = parseConfig({ APP_KEY: randomBytes(32).toString('hex'), DATA_DIR: dataDir(), ...env });
  const runtime = await openRuntime(config, createLogger('silent'), { migrate: true }).catch((err: unknown) => err);
  if (!(runtime instanceof StartUpError)) {
    if (runtime && typeof runtime === 'object' && 'close' in runtime) await (runtime as { close(): Promise<void> }).close();
    throw new Error(`expected a StartUpError, got ${String(runtime)}`);
  }
  return runtime.message;
}

const withPath = (url: string, database: string) => Object.assign(new URL(url), { pathname: `/${database}` }).toString();
const withPort = (url: string, port: number) => Object.assign(new URL(url), { port: String(port) }).toString();
const missingName = () => `vlbt_missing_${randomBytes(4).toString('hex')}`;

describe.runIf(mysqlUrl)('MariaDB: start-up errors name the fix', () => {
  const url = mysqlUrl ?? '';
  it('a database that does not exist: create it first', async () => {
    const name = missingName();
    // ER_BAD_DB_ERROR ("Unknown database") for a user allowed to create it, ER_DBACCESS_DENIED_ERROR otherwise: both get the recipe.
    const message = await openFails({ DATABASE_URL: withPath(url, name) });
    expect(message).toContain(`Create it first, as an administrator: CREATE DATABASE \`${name}\``);
  });

  it('nothing listening on the port: is the server running there?', async () => {
    const port = await freePort();
    expect(await openFails({ DATABASE_URL: withPort(url, port) })).toContain(`Nothing answers at 127.0.0.1:${port}: is the MariaDB/MySQL server running there?`);
  });

  it('a wrong password: check the user and password, the password itself never printed', async () => {
    const message = await openFails({ DATABASE_URL: Object.assign(new URL(url), { password: 'not-the-password-71' }).toString() });
    expect(message).toContain('check the user and password in DATABASE_URL');
    expect(message).toContain(':********@');
    expect(message).not.toContain('not-the-password-71');
  });
});

describe.runIf(postgresUrl)('PostgreSQL: start-up errors name the fix', () => {
  const url = postgresUrl ?? '';
  it('a database that does not exist (3D000): createdb, said by the CLI with exit status 1 and no stack', () => {
    const name = missingName();
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'migrate'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: withPath(url, name), APP_KEY: randomBytes(32).toString('hex'), DATA_DIR: dataDir(), LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`error: database "${name}" does not exist`);
    expect(r.stderr).toContain(`Create it first: createdb -h 127.0.0.1 -p ${new URL(url).port || 5432}`);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it('nothing listening on the port: is the server running there?', async () => {
    const port = await freePort();
    expect(await openFails({ DATABASE_URL: withPort(url, port) })).toContain(`Nothing answers at 127.0.0.1:${port}: is the PostgreSQL server running there?`);
  });

  it('a user the server refuses: check the user and password', async () => {
    const refused = Object.assign(new URL(url), { username: `nobody_${randomBytes(3).toString('hex')}`, password: 'not-the-password-72' }).toString();
    const message = await openFails({ DATABASE_URL: refused });
    expect(message).toContain('check the user and password in DATABASE_URL');
    expect(message).not.toContain('not-the-password-72');
  });
});

describe('embedded and Redis: start-up problems name the fix', () => {
  it('a DATA_DIR that cannot be a folder', async () => {
    expect(await openFails({ DATA_DIR: '/etc/hostname/data', APP_KEY: '' })).toContain('DATA_DIR (/etc/hostname/data)');
  });

  it('Redis unreachable at start: a warning that says where (never the password), and the runtime still opens', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
    const config = parseConfig({ DATA_DIR: dataDir(), REDIS_URL: `redis://:r3dis-secret@127.0.0.1:${port}/0` });
    const runtime = await openRuntime(config, createLogger('warn', sink), { migrate: true });
    await runtime.close();
    const log = lines.join('');
    expect(log).toContain(`Redis at 127.0.0.1:${port} is unreachable at start: is it running there (REDIS_URL)?`);
    expect(log).not.toContain('r3dis-secret');
  }, 30_000);
});
