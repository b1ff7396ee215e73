import { DelayedError, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { createRepeatedLog } from '../repeated-log.js';
import type { ExportJob, ExportProcessor, ExportQueue } from './queue.js';

export const EXPORT_QUEUE_NAME = 'exports';

export interface BullmqConnection {
  /** A connection of its own with `maxRetriesPerRequest: null`, as BullMQ requires; closed by its owner. */
  connection: Redis;
  /** BullMQ's key prefix (its own option: ioredis' keyPrefix is refused by BullMQ). */
  prefix: string;
}

/** Refuse to hang a request on a Redis that is down: adding a job waits at most this long. */
const ENQUEUE_TIMEOUT_MS = 5000;

/**
 * The `exports` queue on Redis. Every instance can add jobs; those that started a
 * worker (serving processes) run them, one at a time each. A job whose process
 * dies is taken again by BullMQ's stalled-job check, and one interrupted by a
 * clean shutdown is put back at once, so exports survive restarts and deploys.
 */
export function createBullmqQueue({ connection, prefix }: BullmqConnection, processJob: ExportProcessor, logger: Logger): ExportQueue {
  // While Redis is away the worker's connections fail on every reconnect: one line per interval, with a count.
  const repeated = createRepeatedLog(logger);
  // Made on first use: a process that never exports (a CLI command) writes nothing to Redis.
  let queue: Queue<ExportJob> | undefined;
  const producer = (): Queue<ExportJob> => {
    if (!queue) {
      queue = new Queue<ExportJob>(EXPORT_QUEUE_NAME, {
        connection,
        prefix,
        defaultJobOptions: { attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 1000 } },
      });
      queue.on('error', (err: Error) => repeated.warn('export queue error', { err }));
    }
    return queue;
  };
  const abort = new AbortController();
  let worker: Worker<ExportJob> | undefined;
  let active = 0;

  return {
    kind: 'bullmq',
    async enqueue(job) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('Redis did not accept the export job in time')), ENQUEUE_TIMEOUT_MS);
      });
      try {
        // The job id makes a repeated enqueue of the same export a no-op.
        await Promise.race([producer().add('export', job, { jobId: `export-${job.tenantId}-${job.exportId}` }), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    startWorker() {
      if (worker || abort.signal.aborted) return;
      worker = new Worker<ExportJob>(
        EXPORT_QUEUE_NAME,
        async (job, token) => {
          active++;
          try {
            if ((await processJob(job.data, abort.signal)) === 'interrupted') {
              // Back to the queue without counting as an attempt; another worker (or this one after a restart) runs it.
              await job.moveToDelayed(Date.now(), token);
              throw new DelayedError();
            }
          } finally {
            active--;
          }
        },
        { connection, prefix, concurrency: 1 },
      );
      worker.on('error', (err: Error) => repeated.warn('export worker error', { err }));
      worker.on('failed', (job, err: Error) => {
        if (!(err instanceof DelayedError)) logger.error({ err, exportId: job?.data.exportId }, 'export job failed');
      });
    },
    async whenIdle() {
      while (active > 0) await new Promise((r) => setTimeout(r, 20));
    },
    async close() {
      abort.abort();
      // Waits for the running job, which stops at its next batch now that `abort` is set.
      await worker?.close();
      await queue?.close();
      repeated.flush();
    },
  };
}
