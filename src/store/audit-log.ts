import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import { writeJson } from './json-column.js';
import type { AuditLogTable } from './schema.js';

export type AuditLogRow = Selectable<AuditLogTable>;

export interface AuditEntry {
  userId: number | null;
  action: string;
  entityType: string;
  entityId: number | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null | undefined;
  at: number;
}

/** Who changed which configuration, when, and from what to what (secrets already masked by the caller). */
export function createAuditLogStore({ db }: Store) {
  return {
    async insert(tenantId: number, e: AuditEntry, trx = db): Promise<void> {
      await trx
        .insertInto('audit_log')
        .values({
          tenant_id: tenantId,
          user_id: e.userId,
          action: e.action,
          entity_type: e.entityType,
          entity_id: e.entityId,
          before_state: e.before === undefined ? null : writeJson(e.before),
          after_state: e.after === undefined ? null : writeJson(e.after),
          ip: e.ip ?? null,
          created_at: e.at,
        })
        .execute();
    },
    listForEntity(tenantId: number, entityType: string, entityId: number): Promise<AuditLogRow[]> {
      return db
        .selectFrom('audit_log')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('entity_type', '=', entityType)
        .where('entity_id', '=', entityId)
        .orderBy('id')
        .execute();
    },
  };
}
export type AuditLogStore = ReturnType<typeof createAuditLogStore>;
