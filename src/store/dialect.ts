import { sql, type InsertObject, type InsertQueryBuilder, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.js';

/**
 * The narrow seam where the three SQL dialects differ. Everything else in
 * `src/store` is dialect-neutral Kysely. Pitfalls are listed in docs/sql-dialects.md.
 */
export type DialectName = 'sqlite' | 'mysql' | 'postgres';

export interface Dialect {
  readonly name: DialectName;
  /** Inserts one row and returns its generated integer id. */
  insertId<T extends keyof Database & string>(
    db: Kysely<Database>,
    table: T,
    values: InsertObject<Database, T>,
  ): Promise<number>;
  /**
   * Inserts one row unless it would break a unique constraint; its id, or
   * undefined. Safe inside a transaction that inserts more rows: on PostgreSQL a
   * caught violation would abort the whole transaction, so conflicts are skipped.
   */
  insertIdUnlessDuplicate<T extends keyof Database & string>(
    db: Kysely<Database>,
    table: T,
    values: InsertObject<Database, T>,
  ): Promise<number | undefined>;
  /** True when the error is a unique-constraint violation. */
  isUniqueViolation(err: unknown): boolean;
  /**
   * The INSERT, made to skip rows that would break a unique constraint (ON CONFLICT
   * DO NOTHING; INSERT IGNORE on MySQL, whose other data errors then become warnings,
   * so callers bound their values first).
   */
  skippingDuplicates<TB extends keyof Database & string, O>(query: InsertQueryBuilder<Database, TB, O>): InsertQueryBuilder<Database, TB, O>;
  /** True when the server rejected the statement's syntax (RETURNING on MySQL, which MariaDB accepts). */
  isSyntaxError(err: unknown): boolean;
  /** True when the database rolled the transaction back to break a deadlock (or a serialization conflict): it may be run again. */
  isDeadlock(err: unknown): boolean;
  /**
   * The SELECT, made to lock its rows until the transaction ends (FOR UPDATE). SQLite
   * has no row locks and needs none: its write transactions already run one at a time.
   */
  forUpdate<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /**
   * A member of a JSON column as text, null when absent or a JSON null: `[key, field]`
   * gives a scalar's value ('no_rule'), `[key]` the member's JSON text ('[{"agent_id":1,…}]').
   * Names are literals from our code, never input.
   */
  jsonText(column: string, path: readonly [string] | readonly [string, string]): RawBuilder<string | null>;
  /**
   * The INSERT, made to add its values to the row it would duplicate instead (`x = x + new x`
   * for `added`, `x = new x` for `replaced`): an atomic counter that several instances may
   * bump at once without losing an update. `key` is the unique key's columns (MySQL needs none).
   */
  addingOnConflict<TB extends keyof Database & string, O>(
    query: InsertQueryBuilder<Database, TB, O>,
    table: TB,
    key: readonly string[],
    added: readonly string[],
    replaced: readonly string[],
  ): InsertQueryBuilder<Database, TB, O>;
}

// SQLite and PostgreSQL: ON CONFLICT (key) DO UPDATE, the new row's values as `excluded`.
function addingOnConflictExcluded<TB extends keyof Database & string, O>(
  query: InsertQueryBuilder<Database, TB, O>,
  table: TB,
  key: readonly string[],
  added: readonly string[],
  replaced: readonly string[],
): InsertQueryBuilder<Database, TB, O> {
  const set = Object.fromEntries([
    ...added.map((c) => [c, sql`${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`]),
    ...replaced.map((c) => [c, sql.ref(`excluded.${c}`)]),
  ]);
  return query.onConflict((oc) => oc.columns(key as never).doUpdateSet(set as never));
}

/** Node's own codes for a network connection that could not be made or was lost. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Words the drivers use, without a code, for a connection that is gone. */
const LOST_CONNECTION = /connection terminated|not queryable|connection (is )?closed|closed state|timeout exceeded when trying to connect|connection lost|server has gone away|pool is closed/i;

/**
 * True when the error says the database cannot be reached now (refused, reset, shut
 * down, timed out) rather than that the statement was wrong: the caller may retry.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = errorCode(err);
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // PostgreSQL: class 08 (connection exception), 57P01-57P03 (shut down, crashed, not yet accepting).
    if (/^08/.test(code) || /^57P0[123]$/.test(code)) return true;
    // MariaDB/MySQL: the link dropped, or the server is going away or full.
    if (['PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CONNECTION_KILLED'].includes(code)) return true;
    // SQLite: the file stayed locked past the busy timeout.
    if (code === 'SQLITE_BUSY') return true;
  }
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && LOST_CONNECTION.test(message);
}

function errorCode(err: unknown): string | number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; errno?: unknown };
  return typeof e.code === 'string' ? e.code : typeof e.errno === 'number' ? e.errno : undefined;
}

// SQLite (3.35+) and PostgreSQL both support INSERT ... RETURNING.
async function insertReturning<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  values: InsertObject<Database, T>,
): Promise<number> {
  const row: unknown = await db
    .insertInto(table)
    .values(values)
    .returning('id' as never)
    .executeTakeFirstOrThrow();
  return Number((row as { id: number | string }).id);
}

async function insertReturningUnlessConflict<T extends keyof Database & string>(
  db: Kysely<Database>,
  table: T,
  values: InsertObject<Database, T>,
): Promise<number | undefined> {
  const row: unknown = await db
    .insertInto(table)
    .values(values)
    .onConflict((oc) => oc.doNothing())
    .returning('id' as never)
    .executeTakeFirst();
  return row === undefined ? undefined : Number((row as { id: number | string }).id);
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  insertId: insertReturning,
  insertIdUnlessDuplicate: insertReturningUnlessConflict,
  isUniqueViolation: (err) => {
    const code = errorCode(err);
    return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  },
  skippingDuplicates: (query) => query.onConflict((oc) => oc.doNothing()),
  isSyntaxError: () => false,
  isDeadlock: () => false,
  forUpdate: (query) => query,
  jsonText: (column, path) => sql`json_extract(${sql.ref(column)}, ${sql.lit(`$.${path.join('.')}`)})`,
  addingOnConflict: addingOnConflictExcluded,
};

export const postgresDialect: Dialect = {
  name: 'postgres',
  insertId: insertReturning,
  insertIdUnlessDuplicate: insertReturningUnlessConflict,
  isUniqueViolation: (err) => errorCode(err) === '23505',
  skippingDuplicates: (query) => query.onConflict((oc) => oc.doNothing()),
  isSyntaxError: () => false,
  isDeadlock: (err) => errorCode(err) === '40P01' || errorCode(err) === '40001',
  forUpdate: (query) => query.forUpdate(),
  jsonText: (column, [key, field]) =>
    field === undefined ? sql`((${sql.ref(column)} -> ${sql.lit(key)})::text)` : sql`(${sql.ref(column)} -> ${sql.lit(key)} ->> ${sql.lit(field)})`,
  addingOnConflict: addingOnConflictExcluded,
};

export const mysqlDialect: Dialect = {
  name: 'mysql',
  async insertId(db, table, values) {
    const result = await db.insertInto(table).values(values).executeTakeFirstOrThrow();
    return Number(result.insertId);
  },
  // InnoDB rolls back only the failing statement, so the transaction goes on.
  // (INSERT IGNORE would also turn data errors into warnings.)
  async insertIdUnlessDuplicate(db, table, values) {
    try {
      return await mysqlDialect.insertId(db, table, values);
    } catch (err) {
      if (mysqlDialect.isUniqueViolation(err)) return undefined;
      throw err;
    }
  },
  isUniqueViolation: (err) => errorCode(err) === 'ER_DUP_ENTRY',
  skippingDuplicates: (query) => query.ignore(),
  isSyntaxError: (err) => errorCode(err) === 'ER_PARSE_ERROR',
  isDeadlock: (err) => errorCode(err) === 'ER_LOCK_DEADLOCK' || errorCode(err) === 'ER_LOCK_WAIT_TIMEOUT',
  forUpdate: (query) => query.forUpdate(),
  // JSON_VALUE is NULL for a JSON null or a missing path (JSON_UNQUOTE would say 'null').
  jsonText: (column, path) =>
    path.length === 2 ? sql`json_value(${sql.ref(column)}, ${sql.lit(`$.${path.join('.')}`)})` : sql`json_extract(${sql.ref(column)}, ${sql.lit(`$.${path[0]}`)})`,
  // ON DUPLICATE KEY UPDATE, the new row's values as VALUES(x) (any unique key matches).
  addingOnConflict: (query, _table, _key, added, replaced) =>
    query.onDuplicateKeyUpdate(
      Object.fromEntries([...added.map((c) => [c, sql`${sql.ref(c)} + values(${sql.ref(c)})`]), ...replaced.map((c) => [c, sql`values(${sql.ref(c)})`])]) as never,
    ),
};
