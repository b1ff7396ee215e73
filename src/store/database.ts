import BetterSqlite3 from 'better-sqlite3';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createPool } from 'mysql2';
import pg from 'pg';
import { JOURNAL_SIZE_LIMIT_BYTES, startSqliteCheckpointer } from './sqlite-checkpointer.js';
import { createSqliteReader, type SqliteReader } from './sqlite-reader.js';
import { createSqliteWriter, type SqliteWriter } from './sqlite-writer.js';
import { mysqlDialect, postgresDialect, sqliteDialect, type Dialect } from './dialect.js';
import { namingRegisteredStatements } from './dialect-pg-prepared.js';
import { retryingReads } from './retrying-reads.js';
import type { Database } from './schema.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** A SQLite file's bulk writer in a worker thread; null for other databases (and in-memory SQLite). */
  readonly writer: SqliteWriter | null;
  /** A SQLite file's reader for long reads, in a worker thread; null where `writer` is. */
  readonly reader: SqliteReader | null;
  /** Round-trip time of a trivial query in milliseconds; throws when the database is down. */
  ping(): Promise<number>;
  close(): Promise<void>;
}

/** PostgreSQL BIGINT (20) and NUMERIC (1700) arrive as strings by default; our values fit in a double. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

/** `sqlite:path`, `sqlite::memory:`, `file:path` → filesystem path for better-sqlite3. */
export function sqlitePath(url: string): string {
  const rest = url.replace(/^(sqlite|file):(\/\/)?/i, '');
  return rest === '' ? ':memory:' : rest;
}

type Opened = { db: Kysely<Database>; writer: SqliteWriter | null; reader: SqliteReader | null; closeExtras: () => Promise<void> };

function openSqlite(url: string): Opened {
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // SQLite's default page cache is 2 MB: lists and counts over a million calls then reread pages from the OS.
  database.pragma('cache_size = -65536');
  database.pragma('mmap_size = 268435456');
  let checkpointer: { close(): Promise<void> } | undefined;
  let writer: SqliteWriter | null = null;
  let reader: SqliteReader | null = null;
  if (path !== ':memory:') {
    database.pragma('wal_autocheckpoint = 0');
    database.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT_BYTES}`);
    checkpointer = startSqliteCheckpointer(path);
    writer = createSqliteWriter(path);
    reader = createSqliteReader(path);
  }
  // Kysely prepares every query anew; on the hot path that was a fifth of the CPU. The
  // SQL text is the key (values are bound), so a bounded cache of statements serves it.
  const statements = new Map<string, BetterSqlite3.Statement>();
  const cached = {
    close: () => database.close(),
    prepare(query: string): BetterSqlite3.Statement {
      // The writer thread commits between this connection's awaits: a deferred transaction that
      // read first could then not upgrade to a write (SQLITE_BUSY_SNAPSHOT, never retried).
      const text = query === 'begin' ? 'begin immediate' : query;
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= 1000) statements.clear();
        statement = database.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }) }),
    writer,
    reader,
    closeExtras: async () => {
      await reader?.close();
      // The writer first, so the checkpointer's last checkpoint holds its rows too.
      await writer?.close();
      await checkpointer?.close();
    },
  };
}

function openMysql(url: string, onIdleError: (err: Error) => void): Kysely<Database> {
  const pool = createPool({
    uri: url.replace(/^mariadb:/i, 'mysql:'),
    connectionLimit: 10,
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4',
    timezone: 'Z',
    // BIGINT and DECIMAL aggregates (SUM, AVG) as numbers rather than strings.
    decimalNumbers: true,
    connectTimeout: 5000,
  });
  pool.on('connection', (conn) => conn.on('error', onIdleError));
  return new Kysely<Database>({ dialect: retryingReads(new MysqlDialect({ pool })) });
}

function openPostgres(url: string, onIdleError: (err: Error) => void): Kysely<Database> {
  // A query that never answers (a black-holed link) fails after query_timeout rather than holding its request forever.
  const pool = new pg.Pool({ connectionString: url, max: 10, types: pgTypes, connectionTimeoutMillis: 5000, query_timeout: 30_000 });
  // An idle connection dropped by the server (restart, failover) emits here; unhandled it would crash the process.
  pool.on('error', onIdleError);
  // So does a connection lost while checked out (its query fails on its own); the pool then discards it.
  pool.on('connect', (client) => {
    client.on('error', onIdleError);
    namingRegisteredStatements(client);
  });
  return new Kysely<Database>({ dialect: retryingReads(new PostgresDialect({ pool })) });
}

export function dialectOf(url: string): Dialect {
  if (/^(mysql|mariadb):/i.test(url)) return mysqlDialect;
  if (/^postgres(ql)?:/i.test(url)) return postgresDialect;
  if (/^(sqlite|file):/i.test(url)) return sqliteDialect;
  throw new Error(`unsupported database URL scheme: ${url.split(':')[0]}`);
}

export interface StoreOptions {
  /** Told about connections that fail while idle in the pool; the pool replaces them. */
  onIdleError?: (err: Error) => void;
}

export function openStore(url: string, options: StoreOptions = {}): Store {
  const dialect = dialectOf(url);
  const onIdleError = options.onIdleError ?? (() => {});
  const { db, writer, reader, closeExtras }: Opened =
    dialect.name === 'mysql'
      ? { db: openMysql(url, onIdleError), writer: null, reader: null, closeExtras: async () => {} }
      : dialect.name === 'postgres'
        ? { db: openPostgres(url, onIdleError), writer: null, reader: null, closeExtras: async () => {} }
        : openSqlite(url);
  let closing: Promise<void> | undefined;
  return {
    db,
    dialect,
    writer,
    reader,
    async ping() {
      const started = performance.now();
      await sql`select 1`.execute(db);
      return performance.now() - started;
    },
    close() {
      // Idempotent: shutdown paths may close a store a test already closed.
      closing ??= (async () => {
        await db.destroy();
        await closeExtras();
      })();
      return closing;
    },
  };
}
