import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

interface Reply {
  id: number;
  result?: unknown;
  error?: { message: string; code?: string };
}

function toError(e: NonNullable<Reply['error']>): Error {
  // The code (SQLITE_CONSTRAINT_UNIQUE...) survives, so the dialect still recognises a duplicate.
  return Object.assign(new Error(e.message), e.code === undefined ? {} : { code: e.code });
}

/** A worker thread with its own SQLite connection, running the jobs posted to it in order. */
export interface SqliteThread {
  /**
   * Posts the message `build` makes (given an `id`) and settles with the thread's reply to it.
   * It is built once the thread runs: after a restart, `onStart` has reset what it depends on.
   */
  post<T>(build: () => Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Runs `source` (the `name` thread: plain CommonJS, eval'd, `workerData.driver` naming better-sqlite3) as a worker
 * thread: started on first use and again if it dies, or after it idled `idleMs`, holding the
 * process open only while a job is in flight. The thread answers each
 * message `{ id, ... }` with `{ id, result }` or `{ id, error }`, and `{ kind: 'close' }` with
 * `{ closed: true }` once its connection is closed.
 */
export interface SqliteThreadOptions {
  /** Told when a thread starts (the first, or one after another died), for what the old thread knew. */
  onStart?: () => void;
  /** A thread with no job for this long is closed (its connection's cache and its isolate freed), and started again on the next. */
  idleMs?: number;
}

export function sqliteThread(name: string, source: string, workerData: Record<string, unknown>, { onStart = () => {}, idleMs }: SqliteThreadOptions = {}): SqliteThread {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // Each job with the thread it was posted to: a thread that stops fails its own jobs only.
  const waiting = new Map<number, { w: Worker; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let worker: Worker | null = null;
  let closed = false;
  let nextId = 1;

  let idle: NodeJS.Timeout | undefined;

  /** Jobs already posted run first: messages are handled in order. */
  async function stop(w: Worker): Promise<void> {
    const stopped = new Promise<void>((resolve) => {
      w.on('message', (m: { closed?: boolean }) => m.closed && resolve());
      w.once('exit', () => resolve());
    });
    w.ref();
    w.postMessage({ kind: 'close' });
    await stopped;
    await w.terminate();
  }

  function failAll(w: Worker, err: Error): void {
    for (const [id, job] of waiting) {
      if (job.w !== w) continue;
      waiting.delete(id);
      job.reject(err);
    }
  }

  function start(): Worker {
    const w = new Worker(source, { eval: true, workerData: Object.assign({ driver }, workerData) });
    onStart();
    // Only jobs in flight keep the process alive (see post).
    w.unref();
    w.on('message', (reply: Reply) => {
      const job = waiting.get(reply.id);
      if (!job) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) {
        w.unref();
        if (idleMs !== undefined) {
          clearTimeout(idle);
          idle = setTimeout(() => {
            // The next job starts a new thread; this one finishes what it holds (nothing) and goes.
            if (worker !== w || waiting.size > 0) return;
            worker = null;
            void stop(w);
          }, idleMs);
          idle.unref();
        }
      }
      if (reply.error) job.reject(toError(reply.error));
      else job.resolve(reply.result);
    });
    w.on('error', (err) => failAll(w, err));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(w, new Error(`the SQLite ${name} thread stopped`));
    });
    return w;
  }

  return {
    post<T>(build: () => Record<string, unknown>): Promise<T> {
      if (closed) return Promise.reject(new Error('the database is closed'));
      const w = (worker ??= start());
      const id = nextId++;
      const message = Object.assign({ id }, build());
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { w, resolve: resolve as (v: unknown) => void, reject });
        w.ref();
        w.postMessage(message);
      });
    },
    async close() {
      closed = true;
      clearTimeout(idle);
      const w = worker;
      if (!w) return;
      worker = null;
      await stop(w);
    },
  };
}
