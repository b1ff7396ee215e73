import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * How often the WAL is copied back into the database file. Each checkpoint copies every page
 * written since the last one once, however often it was written: the pages every call touches
 * (the right edges of the call tables' indexes, the day's roll-up rows) are copied once per
 * checkpoint, so fewer checkpoints copy less. This thread's CPU per call over a steady 20 s: at
 * ~90 calls/s 49-50 µs checkpointing every second, 37-40 every five; at ~1,500 calls/s 8.9 and
 * 8.6 (most pages are then written once per interval either way).
 */
const CHECKPOINT_INTERVAL_MS = 5_000;
/**
 * How often the WAL's length is looked at (a NOOP checkpoint: it reads the log's header, a few µs).
 * The log can pass its limit by what is written in a tick: a burst of single-call commits writes
 * ~280 MB/s (bench/sqlite-write-path.ts, batch 1), and at a 1 s tick its WAL reached 390-410 MB.
 */
const TICK_MS = 250;
/**
 * Sooner when this much of the WAL is not yet copied back: the frames readers look pages up
 * among stay bounded.
 */
const CHECKPOINT_AFTER_GROWTH_BYTES = 64 * 1024 * 1024;
/**
 * The WAL is kept about this size. A PASSIVE checkpoint copies only the frames committed before
 * it began, and under steady writes some always follow it, so the log never starts over and the
 * file grows for as long as the load lasts (2 GB in a minute at ~2,200 calls/s) and keeps that
 * size on disk after. A log longer than this is made to start over (a RESTART checkpoint); a file
 * larger than this is emptied (TRUNCATE) once writes pause, since cutting a file this size holds
 * the write lock for 50-140 ms where a RESTART typically holds it for 2-25 (BENCHMARKS.md).
 */
export const WAL_LIMIT_BYTES = 128 * 1024 * 1024;
/**
 * The backstop for a log whose RESTARTs kept failing: the connection that starts the log over
 * cuts the file back to this. Every writing connection sets it (which one starts the log over is
 * whichever commits first after a checkpoint: under load, mostly the writer thread). Not tighter:
 * the cut is made inside that commit (32-55 ms for ~160 -> 128 MB), and the checkpointer empties
 * the file once writes pause.
 */
export const JOURNAL_SIZE_LIMIT_BYTES = 2 * WAL_LIMIT_BYTES;
/**
 * How long those checkpoints wait for the write lock (and then for readers of the old log).
 * While one holds it, the writer thread and the main thread's writes, synchronous on the event
 * loop, wait. Not had in time, the next tick tries again rather than holding everyone up.
 */
const RESTART_WAIT_MS = 100;
/** What the checkpointer waits for a lock otherwise (only its last checkpoint, on close, waits). */
const BUSY_TIMEOUT_MS = 5_000;

// Plain CommonJS so it runs as an eval'd worker under tsc's output and under vitest alike.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const frameBytes = db.pragma('page_size', { simple: true }) + 24;
// The log's length in frames and how many of them are copied back (-1s: failed; busy: next time).
// NOOP (SQLite 3.51+) copies nothing, only tells: once the log starts over inside the file, the file's size no longer does.
const checkpoint = (mode) => { try { return db.pragma('wal_checkpoint(' + mode + ')')[0]; } catch { return { log: -1, checkpointed: -1 }; } };
// Right after a PASSIVE one, this copies only what was committed since, with writers held off.
const startOver = (mode) => {
  db.pragma('busy_timeout = ' + workerData.restartWaitMs);
  try { checkpoint(mode); } finally { db.pragma('busy_timeout = ' + workerData.busyTimeoutMs); }
};
const walSize = () => { try { return statSync(workerData.path + '-wal').size; } catch { return 0; } };
const overLimit = (frames) => frames * frameBytes > workerData.walLimitBytes;
let lastAt = Date.now();
let framesThen = -1;
const timer = setInterval(() => {
  const { log, checkpointed } = checkpoint('NOOP');
  const quiet = log >= 0 && log === framesThen;
  framesThen = log;
  if (quiet && log === checkpointed && walSize() > workerData.walLimitBytes) {
    // Nothing committed since the last tick and all copied back: emptying the file holds up no one.
    startOver('TRUNCATE');
  } else if (overLimit(log) || Date.now() - lastAt >= workerData.intervalMs || (log - checkpointed) * frameBytes >= workerData.growthBytes) {
    // The bulk, copied while writers go on; then, with the log past the limit, only what they committed meanwhile.
    checkpoint('PASSIVE');
    lastAt = Date.now();
    if (overLimit(checkpoint('NOOP').log)) {
      // What was committed while the first one ran, still off the lock: the RESTART then copies a
      // few commits' pages (two fsyncs, ~10 ms), or none (~2 ms).
      checkpoint('PASSIVE');
      startOver('RESTART');
    }
  }
}, workerData.tickMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint('TRUNCATE');
  db.close();
  parentPort.postMessage('closed');
});
`;

/** The checkpointer's thresholds: production uses the defaults above, tests smaller ones. */
export interface CheckpointerOptions {
  intervalMs?: number;
  tickMs?: number;
  growthBytes?: number;
  walLimitBytes?: number;
  restartWaitMs?: number;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. better-sqlite3 is
 * synchronous, and an automatic checkpoint runs inside whichever commit crosses
 * the threshold, copying and fsyncing pages while every request waits (tens of
 * ms now and then). The main connection turns automatic checkpoints off; this
 * worker thread, with its own connection, checkpoints every few seconds instead,
 * and keeps the WAL about WAL_LIMIT_BYTES however long writes go on.
 */
export function startSqliteCheckpointer(path: string, options: CheckpointerOptions = {}): { close(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = {
    driver,
    path,
    intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
    tickMs: options.tickMs ?? TICK_MS,
    growthBytes: options.growthBytes ?? CHECKPOINT_AFTER_GROWTH_BYTES,
    walLimitBytes: options.walLimitBytes ?? WAL_LIMIT_BYTES,
    restartWaitMs: options.restartWaitMs ?? RESTART_WAIT_MS,
    busyTimeoutMs: BUSY_TIMEOUT_MS,
  };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
  // Housekeeping must never keep a CLI command or a test alive.
  worker.unref();
  return {
    async close() {
      const closed = new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
        worker.once('error', () => resolve());
      });
      worker.postMessage('close');
      await closed;
      await worker.terminate();
    },
  };
}
