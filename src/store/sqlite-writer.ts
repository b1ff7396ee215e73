import { JOURNAL_SIZE_LIMIT_BYTES } from './sqlite-checkpointer.js';
import { sqliteThread } from './sqlite-thread.js';

/** One prepared INSERT and the parameter lists to run it with. */
export interface RowsJob {
  sql: string;
  rows: unknown[][];
  /**
   * Columns of long texts (the audit's JSON payloads): they travel beside the job's JSON
   * as a list of strings, not escaped inside it and unescaped again on the other side.
   */
  textsAt?: readonly number[];
}

/**
 * Parent rows and, for each parent the insert really added, its child rows, whose
 * parameter at `parentIdAt` is set to the parent's new id. A parent statement may
 * skip duplicates (ON CONFLICT DO NOTHING): its result is then null and its
 * children are not written.
 */
export interface FamiliesJob {
  parentSql: string;
  parents: unknown[][];
  childSql: string;
  children: unknown[][][];
  parentIdAt: number;
  /** Columns of the parents holding long texts (a call's trace, facts and first answer), sent as RowsJob's are. */
  parentTextsAt?: readonly number[];
  /** One more statement run, with each of these parameter lists, for parent i only when it was added (its roll-up counts). */
  extraSql?: string;
  extras?: unknown[][][];
  /**
   * The extras are additions to a row named by their first `keyLength` parameters: the added
   * parents' lists with the same key are summed over the `sumLength` parameters after it (the
   * rest taken from the last), so the batch upserts each row once rather than once per call.
   */
  extrasMerge?: { keyLength: number; sumLength: number };
}

/**
 * Compiled statements (Kysely's `.compile()`), run in order. One with `mustChange` that changes
 * no row (a compare-and-set that found another value) rolls the job back, which then fails with
 * the code `UNCHANGED_CODE`.
 */
export type StatementsJob = { sql: string; parameters: readonly unknown[]; mustChange?: boolean }[];

/** The code of a statements job rolled back by its `mustChange` statement. */
export const UNCHANGED_CODE = 'VLB_UNCHANGED';

/** Runs prepared statements on a second connection in a worker thread, each job in one transaction. */
export interface SqliteWriter {
  insertRows(job: RowsJob): Promise<void>;
  insertFamilies(job: FamiliesJob): Promise<(number | null)[]>;
  runStatements(job: StatementsJob): Promise<void>;
  close(): Promise<void>;
}

// Plain CommonJS so it runs as an eval'd worker under tsc's output and under vitest alike.
// The SQL comes from the store's Kysely builders: this thread only runs it.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
db.pragma('wal_autocheckpoint = 0');
db.pragma('journal_size_limit = ' + workerData.journalSizeLimitBytes);
// A small cache on purpose. A B-tree split that sorts its pages renumbers one of them to the
// pending-byte page for a moment (balance_nonroot), so SQLite scans this connection's whole
// page-cache hash at every commit that split a page; that scan grows with cache_size. The
// writer's hot pages (the B-trees' upper levels and right edges) fit in 256.
db.pragma('cache_size = -1024');
// Statements by the number the main thread gave their text when it first sent it.
const statements = new Map();
// An extra summed into the first one of the job with its key (the key's parts joined by NUL, which none holds).
function addTo(merged, e, { keyLength, sumLength }) {
  let key = String(e[0]);
  for (let k = 1; k < keyLength; k++) key += '\\u0000' + e[k];
  const into = merged.get(key);
  if (!into) { merged.set(key, e); return; }
  for (let k = keyLength; k < keyLength + sumLength; k++) into[k] += e[k];
  for (let k = keyLength + sumLength; k < e.length; k++) into[k] = e[k];
}
const jobs = {
  rows: db.transaction((job) => { const s = statements.get(job.sql); for (const row of job.rows) s.run(row); }),
  families: db.transaction((job) => {
    const parent = statements.get(job.parentSql);
    const child = statements.get(job.childSql);
    const extra = job.extras && statements.get(job.extraSql);
    const merge = job.extrasMerge;
    const merged = new Map();
    const ids = job.parents.map((params, i) => {
      const info = parent.run(params);
      if (info.changes === 0) return null;
      const id = Number(info.lastInsertRowid);
      for (const c of job.children[i]) { c[job.parentIdAt] = id; child.run(c); }
      if (extra) for (const e of job.extras[i]) { if (merge) addTo(merged, e, merge); else extra.run(e); }
      return id;
    });
    for (const e of merged.values()) extra.run(e);
    return ids;
  }),
  statements: db.transaction((job) => {
    for (const q of job) {
      const info = statements.get(q.sql).run(q.parameters);
      // The whole job is rolled back: what it checked changed meanwhile (see StatementsJob).
      if (q.mustChange && info.changes === 0) throw Object.assign(new Error('a statement the job required to change a row changed none'), { code: '${UNCHANGED_CODE}' });
    }
  }),
};
parentPort.on('message', (msg) => {
  if (msg.kind === 'close') { db.close(); parentPort.postMessage({ closed: true }); return; }
  try {
    for (const [n, text] of msg.define) statements.set(n, db.prepare(text));
    const job = JSON.parse(msg.job);
    if (msg.texts) {
      // The long texts, row by row in column order, put back where the main thread took them out.
      const at = msg.textsAt;
      let t = 0;
      for (const row of job.rows || job.parents) for (let j = 0; j < at.length; j++) row[at[j]] = msg.texts[t++];
    }
    parentPort.postMessage({ id: msg.id, result: jobs[msg.kind].immediate(job) });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: { message: String((err && err.message) || err), code: err && err.code } });
  }
});
`;

/** Long texts taken out of a job's rows (see RowsJob.textsAt): row by row, in `at`'s order. */
interface SeparatedTexts {
  at: readonly number[];
  texts: unknown[];
}

/** The rows with the columns `at` set to null, and those columns' values beside them. */
function separateTexts(rows: readonly unknown[][], at: readonly number[]): { rows: unknown[][]; texts: unknown[] } {
  const texts: unknown[] = [];
  const stripped = rows.map((row) => {
    const copy = row.slice();
    for (const i of at) {
      texts.push(row[i] ?? null);
      copy[i] = null;
    }
    return copy;
  });
  return { rows: stripped, texts };
}

/**
 * The embedded store's bulk writes (new routed calls with their timelines, the
 * webhook audit) run in a worker thread with its own connection, so SQLite's
 * work on them (a call row keeps nine B-trees) is off the event loop. WAL lets
 * the main connection read meanwhile; its own writes wait for the lock
 * (BEGIN IMMEDIATE, see database.ts). Started on first use, restarted if it dies.
 */
export function createSqliteWriter(path: string, { journalSizeLimitBytes = JOURNAL_SIZE_LIMIT_BYTES } = {}): SqliteWriter {
  // Each SQL text crosses to the worker once; jobs then name it by number and carry their values as
  // one JSON string, which is cheaper to post than the structured clone of many small arrays.
  const sqlIds = new Map<string, number>();
  // What the running thread has prepared: a new thread (after one died) is told every text again.
  let defined = new Set<number>();
  const thread = sqliteThread(
    'writer',
    WORKER_SOURCE,
    { path, journalSizeLimitBytes },
    {
      onStart: () => {
        defined = new Set();
      },
    },
  );
  function sqlId(text: string, define: [number, string][]): number {
    let n = sqlIds.get(text);
    if (n === undefined) sqlIds.set(text, (n = sqlIds.size + 1));
    if (!defined.has(n)) {
      defined.add(n);
      define.push([n, text]);
    }
    return n;
  }

  function run<T>(kind: 'rows' | 'families' | 'statements', job: (define: [number, string][]) => unknown, texts?: SeparatedTexts): Promise<T> {
    return thread.post<T>(() => {
      const define: [number, string][] = [];
      const text = JSON.stringify(job(define));
      return texts ? { kind, define, job: text, texts: texts.texts, textsAt: texts.at } : { kind, define, job: text };
    });
  }

  return {
    insertRows: (job) => {
      const { textsAt, ...rest } = job;
      if (!textsAt?.length) return run<void>('rows', (define) => Object.assign({}, rest, { sql: sqlId(job.sql, define) }));
      const { rows, texts } = separateTexts(job.rows, textsAt);
      return run<void>('rows', (define) => ({ sql: sqlId(job.sql, define), rows }), { at: textsAt, texts });
    },
    insertFamilies: (job) => {
      const { parentTextsAt, ...rest } = job;
      const separated = parentTextsAt?.length ? separateTexts(job.parents, parentTextsAt) : null;
      return run<(number | null)[]>(
        'families',
        (define) =>
          Object.assign(
            {},
            rest,
            separated ? { parents: separated.rows } : undefined,
            { parentSql: sqlId(job.parentSql, define), childSql: sqlId(job.childSql, define) },
            job.extraSql === undefined ? undefined : { extraSql: sqlId(job.extraSql, define) },
          ),
        separated && parentTextsAt ? { at: parentTextsAt, texts: separated.texts } : undefined,
      );
    },
    runStatements: (job) => run<void>('statements', (define) => job.map((q) => ({ sql: sqlId(q.sql, define), parameters: q.parameters, mustChange: q.mustChange === true }))),
    close: () => thread.close(),
  };
}
