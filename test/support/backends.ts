import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DialectName } from '../../src/store/dialect.js';

/**
 * The databases every store and HTTP suite runs against: SQLite always, MariaDB
 * and PostgreSQL when TEST_MYSQL_URL / TEST_POSTGRES_URL are set. Under CI (or
 * REQUIRE_ALL_BACKENDS=1) a missing URL is an error, never a silent skip.
 */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export interface TestDialect {
  name: DialectName;
  createDatabase(): Promise<TestDatabase>;
}

const required = process.env.CI === 'true' || process.env.REQUIRE_ALL_BACKENDS === '1';

function requireUrl(variable: string): string | undefined {
  const value = process.env[variable];
  if (!value && required) throw new Error(`${variable} must be set under CI: a database suite may not be skipped`);
  return value || undefined;
}

function uniqueName(): string {
  return `vlbt_${process.pid}_${randomBytes(4).toString('hex')}`;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

// A file, as `npm start` uses: WAL, the checkpointer and the writer thread are then under test too.
const sqlite: TestDialect = {
  name: 'sqlite',
  createDatabase: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlbt-sqlite-'));
    return { url: `sqlite:${join(dir, 'test.sqlite')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

function mysqlDialect(adminUrl: string): TestDialect {
  return {
    name: 'mysql',
    async createDatabase() {
      const name = uniqueName();
      const conn = await mysql.createConnection({ uri: adminUrl });
      await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await conn.end();
      return {
        url: withDatabase(adminUrl, name),
        async drop() {
          const c = await mysql.createConnection({ uri: adminUrl });
          await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
          await c.end();
        },
      };
    },
  };
}

function postgresDialect(adminUrl: string): TestDialect {
  return {
    name: 'postgres',
    async createDatabase() {
      const name = uniqueName();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`CREATE DATABASE "${name}"`);
      await client.end();
      return {
        url: withDatabase(adminUrl, name),
        async drop() {
          const c = new pg.Client({ connectionString: adminUrl });
          await c.connect();
          await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
          await c.end();
        },
      };
    },
  };
}

const mysqlUrl = requireUrl('TEST_MYSQL_URL');
const postgresUrl = requireUrl('TEST_POSTGRES_URL');

export const DIALECTS: readonly TestDialect[] = [
  sqlite,
  ...(mysqlUrl ? [mysqlDialect(mysqlUrl)] : []),
  ...(postgresUrl ? [postgresDialect(postgresUrl)] : []),
];

/** Redis for plane and rate-limit suites; undefined locally when TEST_REDIS_URL is unset. */
export const TEST_REDIS_URL = requireUrl('TEST_REDIS_URL');
