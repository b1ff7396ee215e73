import { Readable } from 'node:stream';
import { exportFilters, type ExportField, type ExportFormat } from '../../core/schemas/exports.js';
import type { CallRecordFilter } from '../../store/call-records.js';
import type { CallRecordStream, ExportableCallRecord } from '../../store/call-record-stream.js';
import type { ExportRow, ExportStore } from '../../store/exports.js';
import type { Repositories } from '../../store/index.js';
import { readJson } from '../../store/json-column.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { contentTypeOf, csvChunks, jsonChunks } from './export-files.js';
import { toStoreFilter } from './export-filter.js';
import type { ExportJob, JobOutcome } from './queue.js';
import type { ExportStorage } from './storage.js';

const DAY_MS = 86_400_000;

interface Deps {
  repos: Repositories;
  rows: ExportStore;
  records: CallRecordStream;
  storage: ExportStorage;
  clock: Clock;
  logger: Logger;
  expiryDays: number;
  /** Records read per query; the file grows by one page at a time. */
  batchSize?: number;
  /** Called once an export is completed (the email); its failure is the callee's to handle. */
  onCompleted?: (row: ExportRow) => Promise<void>;
  /** Told of each job that ends completed or failed (the metrics); must not throw. */
  onFinished?: (status: 'completed' | 'failed') => void;
}

class Interrupted extends Error {}
/** A failure whose message is fit to show the tenant (others are logged and summarised). */
class ExportInputError extends Error {}

export const exportFileKey = (tenantId: number, exportId: number, format: ExportFormat): string => `${tenantId}/${exportId}.${format}`;

/**
 * Runs one export job: claims the row, counts the matching records, streams them
 * page by page into the file (progress and row count updated after every page),
 * then marks the row completed with its expiry, or failed with the reason.
 */
export function createExportRunner({ repos, rows, records, storage, clock, logger, expiryDays, batchSize = 1000, onCompleted, onFinished }: Deps) {
  /** Pages of records with id in (0, maxId], in id order; reports progress after each page. */
  async function* pages(
    job: ExportJob,
    filter: CallRecordFilter,
    scope: { total: number; maxId: number },
    tally: { count: number },
    signal: AbortSignal,
  ): AsyncGenerator<ExportableCallRecord[]> {
    const { total, maxId } = scope;
    let after = 0;
    for (;;) {
      if (signal.aborted) throw new Interrupted();
      const page = await records.page(job.tenantId, filter, after, maxId, batchSize);
      if (page.length === 0) return;
      yield page;
      tally.count += page.length;
      after = Number(page[page.length - 1]!.id);
      // 100 only once the file is stored.
      const progress = total > 0 ? Math.min(99, Math.floor((tally.count * 100) / total)) : 99;
      await rows.update(job.tenantId, job.exportId, { progress, row_count: tally.count, updated_at: clock() });
      if (page.length < batchSize) return;
    }
  }

  async function produce(job: ExportJob, row: ExportRow, signal: AbortSignal): Promise<void> {
    const format = row.format as ExportFormat;
    const fields = readJson<ExportField[]>(row.fields, []);
    const parsed = exportFilters.safeParse(readJson<unknown>(row.filters, {}));
    if (!parsed.success) throw new ExportInputError('the stored filters are no longer valid');
    const filter = await toStoreFilter(repos, job.tenantId, parsed.data);
    const tally = { count: 0 };
    // An empty date range (end before start) matches nothing: the file has only its header.
    const source = filter ? pages(job, filter, await records.scope(job.tenantId, filter), tally, signal) : (async function* () {})();
    const chunks = format === 'csv' ? csvChunks(source, fields) : jsonChunks(source, fields);
    const key = exportFileKey(job.tenantId, job.exportId, format);
    await storage.put(key, Readable.from(chunks, { objectMode: false }), contentTypeOf[format]);
    const done = clock();
    await rows.update(job.tenantId, job.exportId, {
      status: 'completed',
      progress: 100,
      row_count: tally.count,
      file_path: key,
      completed_at: done,
      expires_at: done + expiryDays * DAY_MS,
      updated_at: done,
    });
  }

  return async function run(job: ExportJob, signal: AbortSignal): Promise<JobOutcome> {
    if (!(await rows.claim(job.tenantId, job.exportId, clock()))) return 'done';
    const row = await rows.findById(job.tenantId, job.exportId);
    if (!row) return 'done';
    const started = clock();
    try {
      await produce(job, row, signal);
    } catch (err) {
      if (signal.aborted) {
        // Shutting down: the job runs again from the start later; the partial file was discarded by the storage.
        await rows.update(job.tenantId, job.exportId, { status: 'queued', progress: 0, row_count: 0, updated_at: clock() });
        logger.info({ exportId: job.exportId }, 'export interrupted by shutdown; queued again');
        return 'interrupted';
      }
      logger.error({ err, exportId: job.exportId, tenantId: job.tenantId }, 'export failed');
      // The reason shown to the tenant; the details (which may name SQL or hosts) stay in the log.
      const reason = err instanceof ExportInputError ? err.message : 'reading the call records or storing the file failed; the server log has the details';
      await rows.update(job.tenantId, job.exportId, { status: 'failed', error: `Export failed: ${reason}.`, updated_at: clock() });
      onFinished?.('failed');
      return 'done';
    }
    onFinished?.('completed');
    const finished = await rows.findById(job.tenantId, job.exportId);
    logger.info({ exportId: job.exportId, tenantId: job.tenantId, rows: finished?.row_count, ms: clock() - started, storage: storage.kind }, 'export completed');
    if (finished && onCompleted) await onCompleted(finished);
    return 'done';
  }
}
export type ExportRunner = ReturnType<typeof createExportRunner>;
