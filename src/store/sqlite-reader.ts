import { sqliteThread } from './sqlite-thread.js';

/** Compiled SELECTs (Kysely's `.compile()`). */
export type ReadJob = readonly { sql: string; parameters: readonly unknown[] }[];

/** Reads a SQLite file in a worker thread, on a connection of its own. */
export interface SqliteReader {
  /** Each query's rows, every query of the job read in one snapshot (one read transaction). */
  readTogether(job: ReadJob): Promise<Record<string, unknown>[][]>;
  close(): Promise<void>;
}

const IDLE_MS = 60_000;

// Plain CommonJS so it runs as an eval'd worker under tsc's output and under vitest alike.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { readonly: true });
db.pragma('busy_timeout = 5000');
db.pragma('cache_size = -16384');
// By SQL text: the store's readers here are a few fixed statements.
const statements = new Map();
const prepared = (text) => {
  let s = statements.get(text);
  if (!s) statements.set(text, (s = db.prepare(text)));
  return s;
};
const together = db.transaction((job) => job.map((q) => prepared(q.sql).all(q.parameters)));
parentPort.on('message', (msg) => {
  if (msg.kind === 'close') { db.close(); parentPort.postMessage({ closed: true }); return; }
  try {
    parentPort.postMessage({ id: msg.id, result: together.deferred(msg.job) });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: { message: String((err && err.message) || err), code: err && err.code } });
  }
});
`;

/**
 * Long reads of a SQLite file off both the event loop (better-sqlite3 is synchronous) and the
 * writer thread (new calls' commits queue behind whatever it runs): a day's recount of its
 * calls reads for seconds on a day of a million. In WAL mode this connection reads a snapshot
 * while the writer commits. Started on first use, restarted if it dies, closed after a minute idle.
 */
export function createSqliteReader(path: string, { idleMs = IDLE_MS } = {}): SqliteReader {
  // Its reads come every few hours (a day's repair): between them the thread and its page cache (~10-25 MB) are let go.
  const thread = sqliteThread('reader', WORKER_SOURCE, { path }, { idleMs });
  return {
    readTogether: (job) => thread.post(() => ({ kind: 'read', job: job.map((q) => ({ sql: q.sql, parameters: [...q.parameters] })) })),
    close: () => thread.close(),
  };
}
