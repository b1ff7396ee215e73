import { CompiledQuery, type Kysely } from 'kysely';
import { bulkInsert, callIdsBySession, perCount } from './bulk-statements.js';
import type { CallRecordRow } from './call-records.js';
import type { Store } from './database.js';
import type { Database } from './schema.js';

type NewRecord = Omit<CallRecordRow, 'id'>;

export interface CallRecordBatchOptions {
  /** Insert and learn the new ids in one statement (INSERT ... RETURNING); false: the three-statement way MySQL needs. */
  returning?: boolean;
}

const keyOf = (tenantId: number | string, sessionToken: string) => `${tenantId} ${sessionToken}`;

/**
 * Many new call records at once (the group commit of routed calls): each row's new
 * id, or undefined when its session already has a record, or an earlier row of the
 * batch has the same session. A network database pays a round trip per statement
 * and the batch holds every waiting call, so the statements are few whatever its
 * size: one INSERT ... RETURNING that skips recorded sessions where the database
 * takes it (SQLite, PostgreSQL, MariaDB), else a lookup, the INSERT and a lookup
 * of the new ids (MySQL, found out on first use).
 */
export function createCallRecordBatch({ db, dialect }: Store, columns: readonly (keyof NewRecord)[], options: CallRecordBatchOptions = {}) {
  let returning = options.returning ?? true;
  const nulls = Object.fromEntries(columns.map((c) => [c, null]));
  const returningSql = perCount((n) =>
    dialect
      .skippingDuplicates(db.insertInto('call_records').values(Array.from({ length: n }, () => nulls) as never))
      .returning(['id', 'tenant_id', 'session_token'] as never)
      .compile().sql,
  );
  const insertRows = bulkInsert(db, 'call_records', columns);
  const idsBySession = callIdsBySession(db);

  /** Rows whose session is not repeated earlier in the batch. */
  function firstPerSession(rows: readonly NewRecord[]): NewRecord[] {
    const seen = new Set<string>();
    return rows.filter((r) => {
      const key = keyOf(r.tenant_id, r.session_token);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  async function withReturning(rows: readonly NewRecord[], trx: Kysely<Database>): Promise<Map<NewRecord, number>> {
    const parameters: unknown[] = [];
    for (const row of rows) for (const c of columns) parameters.push(row[c] ?? null);
    const result = await trx.executeQuery<{ id: number | string; tenant_id: number | string; session_token: string }>(CompiledQuery.raw(returningSql(rows.length), parameters));
    const created = new Map(result.rows.map((r) => [keyOf(Number(r.tenant_id), r.session_token), Number(r.id)]));
    const ids = new Map<NewRecord, number>();
    for (const r of rows) {
      const id = created.get(keyOf(r.tenant_id, r.session_token));
      if (id !== undefined) ids.set(r, id);
    }
    return ids;
  }

  /** A record inserted concurrently by someone else makes the INSERT fail with a unique violation; callers retry row by row. */
  async function withLookups(rows: readonly NewRecord[], trx: Kysely<Database>): Promise<Map<NewRecord, number>> {
    const byTenant = new Map<number, NewRecord[]>();
    for (const r of rows) {
      const list = byTenant.get(r.tenant_id);
      if (list) list.push(r);
      else byTenant.set(r.tenant_id, [r]);
    }
    const ids = new Map<NewRecord, number>();
    for (const [tenantId, list] of byTenant) {
      const taken = await idsBySession(tenantId, list.map((r) => r.session_token), trx);
      const fresh = list.filter((r) => !taken.has(r.session_token));
      if (fresh.length === 0) continue;
      await insertRows(fresh, trx);
      const created = await idsBySession(tenantId, fresh.map((r) => r.session_token), trx);
      for (const r of fresh) ids.set(r, created.get(r.session_token)!);
    }
    return ids;
  }

  return {
    async insertManyIfAbsent(rows: readonly NewRecord[], trx: Kysely<Database> = db): Promise<(number | undefined)[]> {
      const fresh = firstPerSession(rows);
      let ids: Map<NewRecord, number> | undefined;
      if (returning) {
        try {
          ids = await withReturning(fresh, trx);
        } catch (err) {
          if (!dialect.isSyntaxError(err)) throw err;
          returning = false;
        }
      }
      const created = ids ?? (await withLookups(fresh, trx));
      return rows.map((r) => created.get(r));
    },
  };
}
export type CallRecordBatch = ReturnType<typeof createCallRecordBatch>;
