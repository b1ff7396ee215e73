import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Table = keyof Database & string;

/**
 * Statements whose shape depends only on a row count (a multi-row INSERT, an
 * IN list), compiled by Kysely once per count and then reused with new values:
 * building a 200-row insert node by node cost more than the database's work on it.
 */
export function perCount(compile: (n: number) => string): (n: number) => string {
  const texts = new Map<number, string>();
  return (n) => {
    let text = texts.get(n);
    if (text === undefined) texts.set(n, (text = compile(n)));
    return text;
  };
}

/** One row's INSERT of these columns, as SQL text whose parameters follow the columns' order. */
export function oneRowInsertSql<T extends Table>(db: Kysely<Database>, table: T, columns: readonly (keyof Database[T] & string)[], skipDuplicates = false): string {
  const query = db.insertInto(table).values(Object.fromEntries(columns.map((c) => [c, null])) as never);
  return (skipDuplicates ? query.onConflict((oc) => oc.doNothing()) : query).compile().sql;
}

/** INSERT of many rows of these columns (all of them given; undefined is stored as NULL). */
export function bulkInsert<T extends Table>(db: Kysely<Database>, table: T, columns: readonly (keyof Database[T] & string)[]) {
  const nulls = Object.fromEntries(columns.map((c) => [c, null]));
  const text = perCount((n) => db.insertInto(table).values(Array.from({ length: n }, () => nulls) as never).compile().sql);
  return async (rows: readonly Partial<Record<(typeof columns)[number], unknown>>[], trx: Kysely<Database> = db): Promise<void> => {
    if (rows.length === 0) return;
    const parameters: unknown[] = [];
    for (const row of rows) for (const c of columns) parameters.push(row[c] ?? null);
    await trx.executeQuery(CompiledQuery.raw(text(rows.length), parameters));
  };
}

/** Ids of a tenant's call records for these session tokens. */
export function callIdsBySession(db: Kysely<Database>) {
  const text = perCount((n) =>
    db.selectFrom('call_records').select(['id', 'session_token']).where('tenant_id', '=', 0).where('session_token', 'in', Array.from({ length: n }, () => '')).compile().sql,
  );
  return async (tenantId: number, sessions: readonly string[], trx: Kysely<Database> = db): Promise<Map<string, number>> => {
    if (sessions.length === 0) return new Map();
    const result = await trx.executeQuery<{ id: number | string; session_token: string }>(CompiledQuery.raw(text(sessions.length), [tenantId, ...sessions]));
    return new Map(result.rows.map((r) => [r.session_token, Number(r.id)]));
  };
}
