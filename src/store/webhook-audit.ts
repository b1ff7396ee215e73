import type { Selectable } from 'kysely';
import { bulkInsert, oneRowInsertSql } from './bulk-statements.js';
import type { Store } from './database.js';
import type { WebhookAuditTable } from './schema.js';

export type WebhookAuditRow = Selectable<WebhookAuditTable>;

export interface WebhookAuditFilter {
  page: number;
  perPage: number;
  eventType?: string | undefined;
  sessionToken?: string | undefined;
  outcome?: string | undefined;
  /** Outcomes left out (ignored when `outcome` is given). */
  hideOutcomes?: readonly string[] | undefined;
  /** received_at >= from (epoch ms). */
  from?: number | undefined;
  /** received_at < before (epoch ms). */
  before?: number | undefined;
}

type NewWebhookAuditRow = Omit<WebhookAuditRow, 'id'>;
const COLUMNS = Object.keys({
  tenant_id: 0, event_type: 0, method: 0, path: 0, session_token: 0, outcome: 0, status_code: 0, error: 0, payload: 0, duration_ms: 0, received_at: 0,
} satisfies Record<keyof NewWebhookAuditRow, 0>) as (keyof NewWebhookAuditRow)[];

const PAYLOAD_AT = [COLUMNS.indexOf('payload')];

/** Every webhook received, with its outcome. Rows arrive in batches from the audit writer. */
export function createWebhookAuditStore({ db, writer }: Store) {
  // A SQLite file's batches go to its writer thread (database.ts), as this one statement per row.
  const insertSql = oneRowInsertSql(db, 'webhook_audit', COLUMNS);
  const insertRows = bulkInsert(db, 'webhook_audit', COLUMNS);
  return {
    async insertMany(rows: readonly NewWebhookAuditRow[]): Promise<void> {
      if (rows.length === 0) return;
      // The payloads, JSON text already, go beside the batch's JSON rather than escaped inside it.
      if (writer) await writer.insertRows({ sql: insertSql, rows: rows.map((r) => COLUMNS.map((c) => r[c])), textsAt: PAYLOAD_AT });
      else await insertRows(rows);
    },
    /** Rows of one tenant (or, with null, of requests no tenant could be found for), newest first. */
    list(tenantId: number | null, limit = 100): Promise<WebhookAuditRow[]> {
      const q = db.selectFrom('webhook_audit').selectAll();
      return (tenantId === null ? q.where('tenant_id', 'is', null) : q.where('tenant_id', '=', tenantId)).orderBy('id', 'desc').limit(limit).execute();
    },
    /**
     * When the tenant last got a webhook of this type that was accepted (ok or a duplicate),
     * received in [from, before); null if never. Walks the (tenant, type, time) index from the end.
     */
    async lastAccepted(tenantId: number, eventType: string, from: number, before: number): Promise<number | null> {
      const row = await db
        .selectFrom('webhook_audit')
        .select('received_at')
        .where('tenant_id', '=', tenantId)
        .where('event_type', '=', eventType)
        .where('received_at', '>=', from)
        .where('received_at', '<', before)
        .where('outcome', 'in', ['ok', 'duplicate'])
        .orderBy('received_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? Number(row.received_at) : null;
    },
    /** One page of a tenant's rows, newest first, with the total matching the filter. */
    async listFiltered(tenantId: number, q: WebhookAuditFilter): Promise<{ rows: WebhookAuditRow[]; total: number }> {
      let base = db.selectFrom('webhook_audit').where('tenant_id', '=', tenantId);
      if (q.eventType) base = base.where('event_type', '=', q.eventType);
      if (q.sessionToken) base = base.where('session_token', '=', q.sessionToken);
      if (q.outcome) base = base.where('outcome', '=', q.outcome);
      else if (q.hideOutcomes && q.hideOutcomes.length > 0) base = base.where('outcome', 'not in', q.hideOutcomes);
      if (q.from !== undefined) base = base.where('received_at', '>=', q.from);
      if (q.before !== undefined) base = base.where('received_at', '<', q.before);
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          .orderBy('received_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.perPage)
          .offset((q.page - 1) * q.perPage)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
  };
}
export type WebhookAuditStore = ReturnType<typeof createWebhookAuditStore>;
