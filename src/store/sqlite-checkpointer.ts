import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the WAL is copied back into the database file. */
const CHECKPOINT_INTERVAL_MS = 1_000;

// Plain CommonJS so it runs as an eval'd worker under tsc's output and under vitest alike.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = (mode) => { try { db.pragma('wal_checkpoint(' + mode + ')'); } catch { /* busy: next time */ } };
const timer = setInterval(() => checkpoint('PASSIVE'), workerData.intervalMs);
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
 * worker thread, with its own connection, checkpoints every second instead.
 */
export function startSqliteCheckpointer(path: string): { close(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, intervalMs: CHECKPOINT_INTERVAL_MS } });
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
