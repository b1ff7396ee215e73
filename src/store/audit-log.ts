import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import { writeJson } from './json-column.js';
import type { AuditLogTable } from './schema.js';

export type AuditLogRow = Selectable<AuditLogTable>;

export interface AuditLogFilter {
  page: number;
  perPage: number;
  entityType?: string | undefined;
  entityId?: number | undefined;
  action?: string | undefined;
  userId?: number | undefined;
  /** created_at >= from (epoch ms). */
  from?: number | undefined;
  /** created_at < before (epoch ms). */
  before?: number | undefined;
}

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
    /** One page of a tenant's entries, newest first, each with the name of the user who acted. */
    async listFiltered(tenantId: number, q: AuditLogFilter): Promise<{ rows: (AuditLogRow & { user_name: string | null })[]; total: number }> {
      let base = db.selectFrom('audit_log').where('audit_log.tenant_id', '=', tenantId);
      if (q.entityType) base = base.where('audit_log.entity_type', '=', q.entityType);
      if (q.entityId !== undefined) base = base.where('audit_log.entity_id', '=', q.entityId);
      if (q.action) base = base.where('audit_log.action', '=', q.action);
      if (q.userId !== undefined) base = base.where('audit_log.user_id', '=', q.userId);
      if (q.from !== undefined) base = base.where('audit_log.created_at', '>=', q.from);
      if (q.before !== undefined) base = base.where('audit_log.created_at', '<', q.before);
      const [rows, count] = await Promise.all([
        base
          // The join repeats the tenant so a user id can never name someone of another tenant.
          .leftJoin('users', (j) => j.onRef('users.id', '=', 'audit_log.user_id').onRef('users.tenant_id', '=', 'audit_log.tenant_id'))
          .selectAll('audit_log')
          .select('users.name as user_name')
          .orderBy('audit_log.created_at', 'desc')
          .orderBy('audit_log.id', 'desc')
          .limit(q.perPage)
          .offset((q.page - 1) * q.perPage)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
  };
}
export type AuditLogStore = ReturnType<typeof createAuditLogStore>;
