import type { Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import type { CallRecordsTable } from './schema.js';

export type CallRecordRow = Selectable<CallRecordsTable>;

/** One row per call (per Cloudonix session token), tenant id first everywhere. */
export function createCallRecordStore({ db, dialect }: Store) {
  return {
    /** Inserts, or returns undefined when the tenant already has a record for this session. */
    async insertIfAbsent(values: Omit<CallRecordRow, 'id'>, trx = db): Promise<number | undefined> {
      try {
        return await dialect.insertId(trx, 'call_records', values);
      } catch (err) {
        if (dialect.isUniqueViolation(err)) return undefined;
        throw err;
      }
    },
    findBySession(tenantId: number, sessionToken: string, trx = db): Promise<CallRecordRow | undefined> {
      return trx
        .selectFrom('call_records')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('session_token', '=', sessionToken)
        .executeTakeFirst();
    },
    findById(tenantId: number, id: number, trx = db): Promise<CallRecordRow | undefined> {
      return trx.selectFrom('call_records').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    async update(tenantId: number, id: number, values: Updateable<CallRecordsTable>, trx = db): Promise<void> {
      await trx.updateTable('call_records').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
  };
}
export type CallRecordStore = ReturnType<typeof createCallRecordStore>;
