import type { Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import type { ExportsTable } from './schema.js';

export type ExportRow = Selectable<ExportsTable>;

/** Call-record exports of a tenant; tenant id first, except the sweeps that run over every tenant. */
export function createExportStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<ExportRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'exports', values);
    },
    findById(tenantId: number, id: number, trx = db): Promise<ExportRow | undefined> {
      return trx.selectFrom('exports').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    /** Newest first. */
    async list(tenantId: number, q: { page: number; perPage: number; status?: string | undefined }): Promise<{ rows: ExportRow[]; total: number }> {
      let base = db.selectFrom('exports').where('tenant_id', '=', tenantId);
      if (q.status) base = base.where('status', '=', q.status);
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.perPage)
          .offset((q.page - 1) * q.perPage)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
    async update(tenantId: number, id: number, values: Updateable<ExportsTable>, trx = db): Promise<void> {
      await trx.updateTable('exports').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    /**
     * Marks a queued (or, when a job is re-run after a crash, running) export as
     * running from the start. False when it is finished or gone: nothing to do.
     */
    async claim(tenantId: number, id: number, now: number): Promise<boolean> {
      const result = await db
        .updateTable('exports')
        .set({ status: 'running', progress: 0, row_count: 0, error: null, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    /** Exports waiting or interrupted, oldest first: what an in-process queue resumes at start. */
    listUnfinished(limit = 1000): Promise<Pick<ExportRow, 'id' | 'tenant_id'>[]> {
      return db.selectFrom('exports').select(['id', 'tenant_id']).where('status', 'in', ['queued', 'running']).orderBy('id').limit(limit).execute();
    },
    /** Completed exports whose time is up, with the file to remove. */
    listExpired(now: number, limit = 500): Promise<Pick<ExportRow, 'id' | 'tenant_id' | 'file_path'>[]> {
      return db
        .selectFrom('exports')
        .select(['id', 'tenant_id', 'file_path'])
        .where('status', '=', 'completed')
        .where('expires_at', '<=', now)
        .orderBy('id')
        .limit(limit)
        .execute();
    },
  };
}
export type ExportStore = ReturnType<typeof createExportStore>;
