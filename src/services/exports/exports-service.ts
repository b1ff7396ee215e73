import type { Readable } from 'node:stream';
import type { Config } from '../../core/config.js';
import { AppError, invalidFields, notFound } from '../../core/errors.js';
import { maskSecrets } from '../../core/mask.js';
import type { Actor } from '../../core/principal.js';
import { exportFiltersToJson, type CreateExportInput, type ExportFormat, type ExportListQuery, type ExportStatus, type ExportView } from '../../core/schemas/exports.js';
import { createCallRecordStream } from '../../store/call-record-stream.js';
import type { Store } from '../../store/database.js';
import { createExportStore, type ExportRow } from '../../store/exports.js';
import type { Repositories } from '../../store/index.js';
import { readJson, writeJson } from '../../store/json-column.js';
import type { CallMetrics } from '../call-metrics.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { maskDigits } from '../privacy-service.js';
import { isoTime, pageMeta, type PageMeta } from '../views.js';
import { createBullmqQueue, type BullmqConnection } from './bullmq-queue.js';
import { contentTypeOf } from './export-files.js';
import { toStoreFilter } from './export-filter.js';
import { createSmtpNotifier, type ExportNotifier } from './notifier.js';
import { createInProcessQueue, type ExportQueue } from './queue.js';
import { createExportRunner } from './runner.js';
import { createS3Storage } from './s3-storage.js';
import { createLocalStorage, localExportsRoot, type ExportStorage } from './storage.js';

interface Deps {
  config: Config;
  store: Store;
  repos: Repositories;
  clock: Clock;
  logger: Logger;
  /** BullMQ's Redis connection when REDIS_URL is set; the in-process queue otherwise. */
  queueRedis?: BullmqConnection | undefined;
  /** Records per page of the export query (1000). */
  batchSize?: number;
  /** Counts jobs queued, completed, failed and expired. */
  metrics?: Pick<CallMetrics, 'exportJob'> | undefined;
}

export interface ExportDownload {
  body: Readable;
  size: number | undefined;
  contentType: string;
  filename: string;
}

const downloadPath = (id: number): string => `/api/exports/${id}/download`;

/**
 * An export's filter as the audit log keeps it: phone numbers down to their last two
 * digits (an erasure of the number does not rewrite the audit log) and secret-like keys
 * masked. Never any exported data.
 */
function auditedFilters(filters: Record<string, string | number>): unknown {
  const out: Record<string, unknown> = { ...filters };
  for (const key of ['from', 'to'] as const) if (typeof out[key] === 'string') out[key] = maskDigits(out[key]);
  return maskSecrets(out);
}

/**
 * Call-record exports: requested through the API, produced in the background by
 * a queue (BullMQ with Redis, else in process), stored as files (DATA_DIR/exports
 * or S3), downloaded as a stream, and removed after EXPORT_EXPIRY_DAYS.
 */
export function createExportsService({ config, store, repos, clock, logger, queueRedis, batchSize, metrics }: Deps) {
  const rows = createExportStore(store);
  const storage: ExportStorage = config.s3 ? createS3Storage(config.s3) : createLocalStorage(localExportsRoot(config.dataDir));
  const notifier: ExportNotifier | undefined = config.smtpUrl ? createSmtpNotifier(config.smtpUrl, config.mailFrom) : undefined;

  /** The email to the requester; a mail failure is logged and never fails the export. */
  async function notifyReady(row: ExportRow): Promise<void> {
    if (!notifier || row.user_id === null) return;
    const exportId = Number(row.id);
    try {
      const user = await repos.users.findById(Number(row.tenant_id), Number(row.user_id));
      if (!user) return;
      await notifier.exportReady({
        to: user.email,
        exportId,
        format: row.format,
        rowCount: Number(row.row_count),
        downloadUrl: `${config.publicUrl ?? ''}${downloadPath(exportId)}`,
        expiresAt: isoTime(row.expires_at),
      });
    } catch (err) {
      logger.warn({ err, exportId }, 'could not email the export-ready notice');
    }
  }

  const runner = createExportRunner({
    repos,
    rows,
    records: createCallRecordStream(store),
    storage,
    clock,
    logger,
    expiryDays: config.exportExpiryDays,
    onCompleted: notifyReady,
    onFinished: (status) => metrics?.exportJob(status),
    ...(batchSize ? { batchSize } : {}),
  });
  const queue: ExportQueue = queueRedis ? createBullmqQueue(queueRedis, runner, logger) : createInProcessQueue(runner, logger);

  /** A completed export past its expiry is shown as expired even before the sweep removes its file. */
  function statusOf(row: ExportRow, now: number): ExportStatus {
    if (row.status === 'completed' && row.expires_at !== null && Number(row.expires_at) <= now) return 'expired';
    return row.status as ExportStatus;
  }

  function toView(row: ExportRow, now = clock()): ExportView {
    const status = statusOf(row, now);
    const id = Number(row.id);
    return {
      id,
      format: row.format as ExportFormat,
      status,
      progress: Number(row.progress),
      row_count: Number(row.row_count),
      fields: readJson<string[]>(row.fields, []),
      filters: readJson<Record<string, unknown>>(row.filters, {}),
      error: row.error,
      requested_by: row.user_id === null ? null : Number(row.user_id),
      created_at: isoTime(row.created_at),
      completed_at: isoTime(row.completed_at),
      expires_at: isoTime(row.expires_at),
      download_url: status === 'completed' ? downloadPath(id) : null,
    };
  }

  async function find(tenantId: number, id: number): Promise<ExportRow> {
    const row = await rows.findById(tenantId, id);
    if (!row) throw notFound('Export');
    return row;
  }

  /** Removes the files of expired exports (every tenant) and marks them expired; returns how many. */
  async function sweepExpired(now = clock()): Promise<number> {
    let removed = 0;
    for (;;) {
      const due = await rows.listExpired(now);
      for (const row of due) {
        if (row.file_path) await storage.delete(row.file_path);
        await rows.update(Number(row.tenant_id), Number(row.id), { status: 'expired', file_path: null, updated_at: clock() });
        metrics?.exportJob('expired');
        removed++;
      }
      if (due.length < 500) return removed;
    }
  }

  /** In-process queue only: exports left queued or running by a previous process are queued again. */
  async function resumeUnfinished(): Promise<number> {
    if (queue.kind !== 'in-process') return 0;
    const unfinished = await rows.listUnfinished();
    for (const row of unfinished) await queue.enqueue({ tenantId: Number(row.tenant_id), exportId: Number(row.id) });
    return unfinished.length;
  }

  return {
    queueKind: queue.kind,
    storageKind: storage.kind,

    /** Records the request and queues the job; 202 right away, the file comes later. */
    async create(actor: Actor, input: CreateExportInput): Promise<ExportView> {
      const tenantId = actor.principal.tenantId;
      if ((await toStoreFilter(repos, tenantId, input.filters)) === null) {
        throw invalidFields({ 'filters.end_date': ['must not be before start_date'] });
      }
      const now = clock();
      const filters = exportFiltersToJson(input.filters);
      const id = await rows.insert({
        tenant_id: tenantId,
        user_id: actor.principal.userId,
        format: input.format,
        status: 'queued',
        filters: writeJson(filters),
        fields: writeJson(input.fields),
        progress: 0,
        row_count: 0,
        file_path: null,
        error: null,
        expires_at: null,
        created_at: now,
        updated_at: now,
        completed_at: null,
      });
      await repos.auditLog.insert(tenantId, {
        userId: actor.principal.userId,
        action: 'export.requested',
        entityType: 'export',
        entityId: id,
        after: { format: input.format, fields: input.fields, filters: auditedFilters(filters) },
        ip: actor.ip,
        at: now,
      });
      // Read before queueing: an in-process job may start at once, and the answer is "queued".
      const queued = toView(await find(tenantId, id));
      try {
        await queue.enqueue({ tenantId, exportId: id });
      } catch (err) {
        logger.error({ err, exportId: id }, 'could not queue an export');
        await rows.update(tenantId, id, { status: 'failed', error: 'Export failed: the job queue is unavailable.', updated_at: clock() });
        metrics?.exportJob('failed');
        throw new AppError('service_unavailable', 'The export queue is unavailable; try again in a moment.');
      }
      metrics?.exportJob('queued');
      return queued;
    },

    async list(tenantId: number, q: ExportListQuery): Promise<{ data: ExportView[]; meta: PageMeta }> {
      const { rows: found, total } = await rows.list(tenantId, { page: q.page, perPage: q.per_page, status: q.status });
      const now = clock();
      return { data: found.map((r) => toView(r, now)), meta: pageMeta(q.page, q.per_page, total) };
    },

    async detail(tenantId: number, id: number): Promise<ExportView> {
      return toView(await find(tenantId, id));
    },

    /** The file as a stream: 409 until it is completed, 404 once expired (its file is gone). Each download is audited. */
    async openDownload(actor: Actor, id: number): Promise<ExportDownload> {
      const tenantId = actor.principal.tenantId;
      const row = await find(tenantId, id);
      const status = statusOf(row, clock());
      if (status === 'expired') throw new AppError('not_found', `Export ${id} has expired: files are kept ${config.exportExpiryDays} days. Request a new export.`);
      if (status !== 'completed' || !row.file_path) {
        throw new AppError('conflict', `Export ${id} is ${status}: it can be downloaded once completed.`, { status });
      }
      const file = await storage.open(row.file_path);
      if (!file) throw new AppError('not_found', `The file of export ${id} is no longer stored. Request a new export.`);
      const format = row.format as ExportFormat;
      await repos.auditLog.insert(tenantId, {
        userId: actor.principal.userId,
        action: 'export.downloaded',
        entityType: 'export',
        entityId: id,
        after: { format, row_count: Number(row.row_count), requested_by: row.user_id === null ? null : Number(row.user_id) },
        ip: actor.ip,
        at: clock(),
      });
      return { ...file, contentType: contentTypeOf[format], filename: `calls-${id}.${format}` };
    },

    sweepExpired,
    resumeUnfinished,

    /**
     * The background work of a serving process: its BullMQ worker (with Redis), the
     * resumption of unfinished in-process exports, and the expiry sweep every
     * `sweepEveryMs` (unref'd). Returns the function that stops the sweep.
     */
    startBackground({ sweepEveryMs = 60 * 60_000 }: { sweepEveryMs?: number } = {}): () => Promise<void> {
      queue.startWorker();
      let sweeping: Promise<unknown> = resumeUnfinished().catch((err: unknown) => logger.error({ err }, 'could not resume unfinished exports'));
      const sweep = () => {
        sweeping = sweeping.then(() => sweepExpired()).catch((err: unknown) => logger.warn({ err }, 'export expiry sweep failed; it will be tried again'));
      };
      sweep();
      const timer = setInterval(sweep, sweepEveryMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await sweeping;
      };
    },

    /** Resolves when no export job is waiting or running in this process. */
    whenIdle: () => queue.whenIdle(),

    /** Interrupts a running job (queued again for later) and releases the queue, storage and mail connections. */
    async close(): Promise<void> {
      await queue.close();
      await storage.close();
      notifier?.close();
    },
  };
}
export type ExportsService = ReturnType<typeof createExportsService>;
