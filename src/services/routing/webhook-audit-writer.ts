import { isDatabaseUnavailable } from '../../store/dialect.js';
import type { Repositories } from '../../store/index.js';
import type { WebhookAuditRow } from '../../store/webhook-audit.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { CLOSE_RETRY_MS } from './deferred-writes.js';

type WebhookAuditRowToWrite = Omit<WebhookAuditRow, 'id'>;

/** A row to write; the writer stamps when it was received (by the services' clock). */
export type WebhookAuditEntry = Omit<WebhookAuditRow, 'id' | 'received_at'>;

const FLUSH_EVERY_MS = 200;
const MAX_BATCH = 200;
/** Beyond this many waiting rows new ones are dropped (and counted): the audit must never sink the webhooks. */
const MAX_PENDING = 20_000;

/**
 * Webhook audit rows are written in batches off the answer's path: a webhook is
 * answered first, its audit row lands within FLUSH_EVERY_MS, or once the database is
 * back if it was away.
 */
export function createWebhookAuditWriter(repos: Repositories, clock: Clock, logger: Logger) {
  let pending: WebhookAuditRowToWrite[] = [];
  let dropped = 0;
  /** The database was away at the last try: rows are waiting for it. */
  let waiting = false;
  let flushing: Promise<void> | null = null;
  const timer = setInterval(() => void flush(), FLUSH_EVERY_MS);
  timer.unref();

  async function flush(): Promise<void> {
    if (flushing) return flushing;
    if (pending.length === 0) return;
    flushing = (async () => {
      while (pending.length > 0) {
        const batch = pending.slice(0, MAX_BATCH);
        pending = pending.slice(MAX_BATCH);
        try {
          await repos.webhookAudit.insertMany(batch);
          if (waiting) logger.info({ rows: pending.length + batch.length }, 'webhook audit rows written again after the database came back');
          waiting = false;
        } catch (err) {
          if (isDatabaseUnavailable(err)) {
            // Kept, in order, for the next round (MAX_PENDING still bounds them): an outage loses no audit row.
            pending = batch.concat(pending);
            if (!waiting) logger.warn({ rows: pending.length }, 'database unavailable; webhook audit rows wait for it');
            waiting = true;
            return;
          }
          logger.error({ err, rows: batch.length }, 'could not write webhook audit rows');
        }
      }
      if (dropped > 0) {
        logger.warn({ dropped }, 'webhook audit rows dropped under load');
        dropped = 0;
      }
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    /** Queues a row; `receivedAt` defaults to now (a summary row passes the time it sums up to). */
    record(entry: WebhookAuditEntry, receivedAt = clock()): void {
      if (pending.length >= MAX_PENDING) dropped += 1;
      else pending.push(Object.assign({}, entry, { received_at: receivedAt }));
    },
    /**
     * Writes everything recorded so far (tests and shutdown). With the database away the rows
     * stay waiting (see `size`) for the next round: this resolves either way.
     */
    flush,
    /** Rows recorded and not written yet: waiting for the next round, or for the database to be back. */
    get size(): number {
      return pending.length;
    },
    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
      // The database away at shutdown: retried a while, as held call records are (deferred-writes.ts).
      for (const until = Date.now() + CLOSE_RETRY_MS; pending.length > 0 && waiting && Date.now() < until; ) {
        await new Promise((r) => setTimeout(r, FLUSH_EVERY_MS * 5));
        await flush();
      }
      if (pending.length > 0) logger.error({ rows: pending.length }, 'shutting down with webhook audit rows the database never took');
    },
  };
}
export type WebhookAuditWriter = ReturnType<typeof createWebhookAuditWriter>;
