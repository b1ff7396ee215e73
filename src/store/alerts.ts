import type { Selectable } from 'kysely';
import type { Store } from './database.js';
import { writeJson } from './json-column.js';
import type { AlertSettingsTable, AlertsTable } from './schema.js';

export type AlertRow = Selectable<AlertsTable>;
export type AlertSettingsRow = Selectable<AlertSettingsTable>;

/** The key that is unique per tenant while an alert is open: one open alert per kind and subject. */
export const openKey = (kind: string, subjectId: number | null) => `${kind}:${subjectId ?? '-'}`;

export interface AlertFilter {
  page: number;
  perPage: number;
  state?: string | undefined;
  kind?: string | undefined;
}

/** Alerts and alert settings; tenant id first everywhere. */
export function createAlertStore({ db, dialect }: Store) {
  return {
    /**
     * Opens an alert unless one of its kind and subject is open already (here or on another
     * instance): the new row's id, or undefined when it was a duplicate.
     */
    open(tenantId: number, kind: string, subjectId: number | null, details: Record<string, unknown>, now: number): Promise<number | undefined> {
      return dialect.insertIdUnlessDuplicate(db, 'alerts', {
        tenant_id: tenantId,
        kind,
        subject_id: subjectId,
        open_key: openKey(kind, subjectId),
        state: 'firing',
        details: writeJson(details),
        fired_at: now,
        resolved_at: null,
        acknowledged_at: null,
        acknowledged_by: null,
      });
    },
    /** Resolves the open alert of this kind and subject; the resolved row, or undefined when none was open (or another instance resolved it first). */
    async resolve(tenantId: number, kind: string, subjectId: number | null, now: number): Promise<AlertRow | undefined> {
      const key = openKey(kind, subjectId);
      const row = await db.selectFrom('alerts').selectAll().where('tenant_id', '=', tenantId).where('open_key', '=', key).executeTakeFirst();
      if (!row) return undefined;
      // Guarded by the row's id and open key: of two instances resolving at once, one changes the row.
      const result = await db.updateTable('alerts').set({ state: 'resolved', open_key: null, resolved_at: now }).where('id', '=', row.id).where('open_key', '=', key).executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? { ...row, state: 'resolved', open_key: null, resolved_at: now } : undefined;
    },
    findById(tenantId: number, id: number): Promise<AlertRow | undefined> {
      return db.selectFrom('alerts').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    /** The tenant's open alerts (few: one per kind and subject). */
    listOpen(tenantId: number): Promise<AlertRow[]> {
      return db.selectFrom('alerts').selectAll().where('tenant_id', '=', tenantId).where('state', '=', 'firing').execute();
    },
    /** One page, open alerts first, then newest first. */
    async list(tenantId: number, f: AlertFilter): Promise<{ rows: AlertRow[]; total: number }> {
      let base = db.selectFrom('alerts').where('tenant_id', '=', tenantId);
      if (f.state) base = base.where('state', '=', f.state);
      if (f.kind) base = base.where('kind', '=', f.kind);
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          .orderBy((eb) => eb.case().when('state', '=', 'firing').then(0).else(1).end())
          .orderBy('id', 'desc')
          .limit(f.perPage)
          .offset((f.page - 1) * f.perPage)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
    /** Firing alerts, and alerts (any state) nobody acknowledged yet: the nav's badge. */
    async counts(tenantId: number): Promise<{ firing: number; unacknowledged: number }> {
      const row = await db
        .selectFrom('alerts')
        .select((eb) => [
          eb.fn.sum<number>(eb.case().when('state', '=', 'firing').then(1).else(0).end()).as('firing'),
          eb.fn.sum<number>(eb.case().when('acknowledged_at', 'is', null).then(1).else(0).end()).as('unack'),
        ])
        .where('tenant_id', '=', tenantId)
        .where((eb) => eb.or([eb('state', '=', 'firing'), eb('acknowledged_at', 'is', null)]))
        .executeTakeFirstOrThrow();
      return { firing: Number(row.firing ?? 0), unacknowledged: Number(row.unack ?? 0) };
    },
    /** Marks the alert seen by a user; true when it was not acknowledged before. */
    async acknowledge(tenantId: number, id: number, userId: number | null, now: number): Promise<boolean> {
      const r = await db.updateTable('alerts').set({ acknowledged_at: now, acknowledged_by: userId }).where('tenant_id', '=', tenantId).where('id', '=', id).where('acknowledged_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    settings(tenantId: number): Promise<AlertSettingsRow | undefined> {
      return db.selectFrom('alert_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
    },
    /** Every tenant's settings row, for the evaluator's round (tenants without a row use the defaults). */
    allSettings(): Promise<AlertSettingsRow[]> {
      return db.selectFrom('alert_settings').selectAll().execute();
    },
    /** Replaces the tenant's settings (and sealed secret) in one row. */
    async saveSettings(tenantId: number, settings: Record<string, unknown>, sealedSecret: string | null, now: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const updated = await trx.updateTable('alert_settings').set({ settings: writeJson(settings), signing_secret_sealed: sealedSecret, updated_at: now }).where('tenant_id', '=', tenantId).executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) {
          await trx.insertInto('alert_settings').values({ tenant_id: tenantId, settings: writeJson(settings), signing_secret_sealed: sealedSecret, updated_at: now }).execute();
        }
      });
    },

    /** Calls that started in [from, to) (test calls left out), and how many of them the fallback route took: read from the (tenant, start, …) index alone. */
    async callShares(tenantId: number, from: number, to: number, fallbackReasons: readonly string[]): Promise<{ total: number; fallback: number; routed: number }> {
      const row = await db
        .selectFrom('call_records')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.sum<number>(eb.case().when('outcome_reason', 'in', [...fallbackReasons]).then(1).else(0).end()).as('fallback'),
          eb.fn.sum<number>(eb.case().when('agent_id', 'is not', null).then(1).else(0).end()).as('routed'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('started_at', '>=', from)
        .where('started_at', '<', to)
        .where('is_test', '=', 0)
        .executeTakeFirstOrThrow();
      return { total: Number(row.total), fallback: Number(row.fallback ?? 0), routed: Number(row.routed ?? 0) };
    },
    /** Webhooks refused or failed in [from, to): read from the (tenant, time, outcome) index alone. */
    async webhookErrors(tenantId: number, from: number, to: number): Promise<number> {
      const row = await db
        .selectFrom('webhook_audit')
        .select((eb) => eb.fn.countAll<number>().as('errors'))
        .where('tenant_id', '=', tenantId)
        .where('received_at', '>=', from)
        .where('received_at', '<', to)
        .where('outcome', 'not in', ['ok', 'duplicate'])
        .executeTakeFirstOrThrow();
      return Number(row.errors);
    },
  };
}
export type AlertStore = ReturnType<typeof createAlertStore>;
