import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import type { WebhookAuditTable } from './schema.js';

export type WebhookAuditRow = Selectable<WebhookAuditTable>;

/** Every webhook received, with its outcome. Rows arrive in batches from the audit writer. */
export function createWebhookAuditStore({ db }: Store) {
  return {
    async insertMany(rows: readonly Omit<WebhookAuditRow, 'id'>[]): Promise<void> {
      if (rows.length === 0) return;
      await db.insertInto('webhook_audit').values([...rows]).execute();
    },
    /** Rows of one tenant (or, with null, of requests no tenant could be found for), newest first. */
    list(tenantId: number | null, limit = 100): Promise<WebhookAuditRow[]> {
      const q = db.selectFrom('webhook_audit').selectAll();
      return (tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId)).orderBy('id', 'desc').limit(limit).execute();
    },
  };
}
export type WebhookAuditStore = ReturnType<typeof createWebhookAuditStore>;
