import { invalidFields } from '../core/errors.js';
import { maskSecrets, maskUrlSecrets } from '../core/mask.js';
import type { AuditLogQuery, AuditLogView, WebhookAuditQuery, WebhookAuditView } from '../core/schemas/audit.js';
import { dateBoundInstant, type DateBound } from '../core/time/date-bound.js';
import { HIDDEN_BY_DEFAULT_OUTCOMES } from '../core/webhook-rejection.js';
import type { AuditLogRow } from '../store/audit-log.js';
import { isNamedEntityType, type NamedEntityType } from '../store/entity-names.js';
import type { Repositories } from '../store/index.js';
import { readJson } from '../store/json-column.js';
import type { WebhookAuditRow } from '../store/webhook-audit.js';
import { readSettings } from './tenant-service.js';
import { isoTime, pageMeta, type PageMeta } from './views.js';

interface Deps {
  repos: Repositories;
}

const nullableInt = (v: number | null): number | null => (v === null ? null : Number(v));

/** Stored JSON, parsed, with secrets masked again: rows written before a masking rule existed must not leak either. */
const readMasked = (value: unknown): unknown => maskSecrets(readJson<unknown>(value, null));

function toWebhookAuditView(row: WebhookAuditRow): WebhookAuditView {
  return {
    id: Number(row.id),
    event_type: row.event_type,
    method: row.method,
    path: maskUrlSecrets(row.path),
    session_token: row.session_token,
    outcome: row.outcome,
    status_code: Number(row.status_code),
    error: row.error,
    payload: readMasked(row.payload),
    duration_ms: nullableInt(row.duration_ms),
    received_at: isoTime(row.received_at),
  };
}

type AuditLogRowWithUser = AuditLogRow & { user_name: string | null };
type EntityNames = Map<NamedEntityType, Map<number, string>>;

function toAuditLogView(row: AuditLogRowWithUser, names: EntityNames): AuditLogView {
  const userId = nullableInt(row.user_id);
  const entityId = nullableInt(row.entity_id);
  const known = isNamedEntityType(row.entity_type) && entityId !== null ? names.get(row.entity_type) : undefined;
  return {
    id: Number(row.id),
    user_id: userId,
    user_name: row.user_name,
    user_deleted: userId !== null && row.user_name === null,
    action: row.action,
    entity_type: row.entity_type,
    entity_id: entityId,
    entity_name: (entityId !== null && known?.get(entityId)) || null,
    entity_deleted: known !== undefined && entityId !== null && !known.has(entityId),
    before: readMasked(row.before_state),
    after: readMasked(row.after_state),
    ip: row.ip,
    created_at: isoTime(row.created_at),
  };
}

/** The ids of each named type on a page, so their names come in one query per type, not one per row. */
function wantedNames(rows: readonly AuditLogRow[]): Map<NamedEntityType, Set<number>> {
  const wanted = new Map<NamedEntityType, Set<number>>();
  for (const row of rows) {
    if (row.entity_id === null || !isNamedEntityType(row.entity_type)) continue;
    let ids = wanted.get(row.entity_type);
    if (!ids) wanted.set(row.entity_type, (ids = new Set()));
    ids.add(Number(row.entity_id));
  }
  return wanted;
}

/** Read-only views of the two audit trails: webhooks received and configuration changes. */
export function createAuditViewsService({ repos }: Deps) {
  /** [from, before) in epoch ms; a bare day is a whole day in the tenant's time zone, as on every list. */
  async function range(tenantId: number, start: DateBound | undefined, end: DateBound | undefined): Promise<{ from?: number; before?: number }> {
    let timeZone = 'UTC';
    if (start?.kind === 'day' || end?.kind === 'day') {
      const tenant = await repos.tenants.findById(tenantId);
      if (tenant) timeZone = readSettings(tenant).timezone;
    }
    const from = start ? dateBoundInstant(start, 'start', timeZone) : undefined;
    const before = end ? dateBoundInstant(end, 'end', timeZone) : undefined;
    if (from !== undefined && before !== undefined && before <= from) throw invalidFields({ end_date: ['must not be before start_date'] });
    return { ...(from !== undefined ? { from } : {}), ...(before !== undefined ? { before } : {}) };
  }

  return {
    async webhookAudit(tenantId: number, q: WebhookAuditQuery): Promise<{ data: WebhookAuditView[]; meta: PageMeta }> {
      const { rows, total } = await repos.webhookAudit.listFiltered(tenantId, {
        page: q.page,
        perPage: q.per_page,
        eventType: q.event_type,
        sessionToken: q.session_token,
        outcome: q.outcome,
        // Wrong-secret refusals are anyone's to send: left out unless asked, so they cannot bury the real webhooks.
        hideOutcomes: q.include_rejected ? undefined : HIDDEN_BY_DEFAULT_OUTCOMES,
        ...(await range(tenantId, q.start_date, q.end_date)),
      });
      return { data: rows.map(toWebhookAuditView), meta: pageMeta(q.page, q.per_page, total) };
    },

    async auditLog(tenantId: number, q: AuditLogQuery): Promise<{ data: AuditLogView[]; meta: PageMeta }> {
      const { rows, total } = await repos.auditLog.listFiltered(tenantId, {
        page: q.page,
        perPage: q.per_page,
        entityType: q.entity_type,
        entityId: q.entity_id,
        action: q.action,
        userId: q.user_id,
        ...(await range(tenantId, q.start_date, q.end_date)),
      });
      const names = await repos.entityNames.namesOf(tenantId, wantedNames(rows));
      return { data: rows.map((row) => toAuditLogView(row, names)), meta: pageMeta(q.page, q.per_page, total) };
    },
  };
}
export type AuditViewsService = ReturnType<typeof createAuditViewsService>;
