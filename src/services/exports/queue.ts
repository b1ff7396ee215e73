import type { Logger } from '../logger.js';

/** One export to produce: the row `exports.id` of tenant `tenantId`. */
export interface ExportJob {
  tenantId: number;
  exportId: number;
}

/**
 * What running a job came to. `done`: the export row says completed or failed.
 * `interrupted`: the process is shutting down; the row is queued again and the job
 * must run later (here after a restart, or on another instance with BullMQ).
 */
export type JobOutcome = 'done' | 'interrupted';
export type ExportProcessor = (job: ExportJob, signal: AbortSignal) => Promise<JobOutcome>;

/**
 * Where export jobs wait: BullMQ on Redis (`bullmq-queue.ts`; jobs survive restarts
 * and any instance may run them) or this process's memory.
 */
export interface ExportQueue {
  readonly kind: 'in-process' | 'bullmq';
  enqueue(job: ExportJob): Promise<void>;
  /** Starts taking jobs from Redis (a BullMQ worker). The in-process queue runs what it is given without it. */
  startWorker(): void;
  /** Resolves when no job is waiting or running in this process (for tests and shutdown). */
  whenIdle(): Promise<void>;
  /** Stops taking jobs, interrupts the running one at its next batch and waits for it. */
  close(): Promise<void>;
}

/** Jobs run one at a time, in order, in this process: the embedded mode's queue. */
export function createInProcessQueue(processJob: ExportProcessor, logger: Logger): ExportQueue {
  const pending: ExportJob[] = [];
  const abort = new AbortController();
  let running: Promise<void> | null = null;

  async function drain(): Promise<void> {
    for (let job = pending.shift(); job && !abort.signal.aborted; job = pending.shift()) {
      try {
        await processJob(job, abort.signal);
      } catch (err) {
        logger.error({ err, exportId: job.exportId }, 'export job crashed');
      }
    }
  }
  function kick(): void {
    if (running || abort.signal.aborted) return;
    running = drain().finally(() => {
      running = null;
      if (pending.length > 0) kick();
    });
  }

  return {
    kind: 'in-process',
    async enqueue(job) {
      if (abort.signal.aborted) throw new Error('the export queue is closed');
      if (!pending.some((p) => p.exportId === job.exportId && p.tenantId === job.tenantId)) pending.push(job);
      kick();
    },
    startWorker() {},
    async whenIdle() {
      while (running) await running;
    },
    async close() {
      abort.abort();
      pending.length = 0;
      await running;
    },
  };
}
