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
/** How often the WAL's size is looked at. */
const TICK_MS = 1_000;
/**
 * Sooner when the WAL file grew this much since the last checkpoint: under steady writes the
 * WAL does not start over (a checkpoint rarely ends with no commit after it), and the frames
 * not yet copied back, which readers look pages up among, stay bounded.
 */
const CHECKPOINT_AFTER_GROWTH_BYTES = 64 * 1024 * 1024;

// Plain CommonJS so it runs as an eval'd worker under tsc's output and under vitest alike.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = (mode) => { try { db.pragma('wal_checkpoint(' + mode + ')'); } catch { /* busy: next time */ } };
const walSize = () => { try { return statSync(workerData.path + '-wal').size; } catch { return 0; } };
let lastAt = Date.now();
let sizeThen = walSize();
const timer = setInterval(() => {
  if (Date.now() - lastAt < workerData.intervalMs && walSize() - sizeThen < workerData.growthBytes) return;
  checkpoint('PASSIVE');
  lastAt = Date.now();
  sizeThen = walSize();
}, workerData.tickMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint('TRUNCATE');
  db.close();
  parentPort.postMessage('closed');
});
`;

/**
 * Moves SQLite's WAL checkpoints off the event loop. better-sqlite3 is
 * synchronous, and an automatic checkpoint runs inside whichever commit crosses
 * the threshold, copying and fsyncing pages while every request waits (tens of
 * ms now and then). The main connection turns automatic checkpoints off; this
 * worker thread, with its own connection, checkpoints every few seconds instead.
 */
export function startSqliteCheckpointer(path: string): { close(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = { driver, path, intervalMs: CHECKPOINT_INTERVAL_MS, tickMs: TICK_MS, growthBytes: CHECKPOINT_AFTER_GROWTH_BYTES };
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
