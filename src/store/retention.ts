import type { Store } from './database.js';
import type { TenantRow } from './tenants.js';

/**
 * Deletes of old traffic rows, one small batch at a time. Each batch selects the
 * ids first and then deletes `where id in (...)`: MySQL refuses LIMIT in a DELETE
 * whose subquery reads the same table, and a plain id list is the same SQL on
 * all three dialects. Every method takes the tenant id first.
 */
export function createRetentionStore({ db }: Store) {
  return {
    /** Every tenant, for the purge to read its retention setting. */
    listTenants(): Promise<TenantRow[]> {
      return db.selectFrom('tenants').selectAll().orderBy('id').execute();
    },

    /** Deletes up to `limit` call records started before `before`, with their events; returns both counts. */
    async purgeCallRecords(tenantId: number, before: number, limit: number): Promise<{ callRecords: number; callEvents: number }> {
      const ids = (
        await db.selectFrom('call_records').select('id').where('tenant_id', '=', tenantId).where('started_at', '<', before).orderBy('id').limit(limit).execute()
      ).map((r) => Number(r.id));
      if (ids.length === 0) return { callRecords: 0, callEvents: 0 };
      // Events are deleted explicitly rather than left to ON DELETE CASCADE: that counts them,
      // and does not depend on SQLite's foreign_keys pragma being on for this connection.
      return db.transaction().execute(async (trx) => {
        const events = await trx.deleteFrom('call_events').where('tenant_id', '=', tenantId).where('call_record_id', 'in', ids).executeTakeFirst();
        const records = await trx.deleteFrom('call_records').where('tenant_id', '=', tenantId).where('id', 'in', ids).executeTakeFirst();
        return { callRecords: Number(records.numDeletedRows), callEvents: Number(events.numDeletedRows) };
      });
    },

    /** Deletes up to `limit` CDRs received before `before`. */
    async purgeCdrs(tenantId: number, before: number, limit: number): Promise<number> {
      const ids = (
        await db.selectFrom('cdrs').select('id').where('tenant_id', '=', tenantId).where('received_at', '<', before).orderBy('id').limit(limit).execute()
      ).map((r) => Number(r.id));
      if (ids.length === 0) return 0;
      const res = await db.deleteFrom('cdrs').where('tenant_id', '=', tenantId).where('id', 'in', ids).executeTakeFirst();
      return Number(res.numDeletedRows);
    },

    /**
     * Deletes up to `limit` webhook audit rows received before `before`. With a null
     * tenant: the rows of requests no tenant could be found for.
     */
    async purgeWebhookAudit(tenantId: number | null, before: number, limit: number): Promise<number> {
      const scoped = db.selectFrom('webhook_audit').select('id').where('received_at', '<', before);
      const ids = (
        await (tenantId === null ? scoped.where('tenant_id', 'is', null) : scoped.where('tenant_id', '=', tenantId)).orderBy('id').limit(limit).execute()
      ).map((r) => Number(r.id));
      if (ids.length === 0) return 0;
      const del = db.deleteFrom('webhook_audit').where('id', 'in', ids);
      const res = await (tenantId === null ? del.where('tenant_id', 'is', null) : del.where('tenant_id', '=', tenantId)).executeTakeFirst();
      return Number(res.numDeletedRows);
    },

    /** Deletes up to `limit` alerts resolved before `before`; open alerts stay, however old. */
    async purgeResolvedAlerts(tenantId: number, before: number, limit: number): Promise<number> {
      const ids = (
        await db.selectFrom('alerts').select('id').where('tenant_id', '=', tenantId).where('state', '=', 'resolved').where('resolved_at', '<', before).orderBy('id').limit(limit).execute()
      ).map((r) => Number(r.id));
      if (ids.length === 0) return 0;
      const res = await db.deleteFrom('alerts').where('tenant_id', '=', tenantId).where('id', 'in', ids).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
export type RetentionStore = ReturnType<typeof createRetentionStore>;
