import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { AppError } from '../core/errors.js';
import { deriveOnThreadpool, hashPassword, KEY_LENGTH, scryptOptions, verifyPassword, type DeriveKey, type ScryptParams } from '../core/password-hash.js';

export interface PasswordHashingConfig {
  /** true: one hash at a time on a low-priority thread of its own, behind a bounded queue. false: libuv's threadpool, unbounded (for comparisons). */
  worker: boolean;
  /** Hashes that may wait behind the one in progress; more are refused with 429. */
  queueLimit: number;
}

/** Hashes and checks passwords in the stored format of core/password-hash.ts. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A queued hash that has not started after this long is refused rather than kept: the
 * client has likely given up, and the queue must not turn into minutes of backlog.
 */
const MAX_WAIT_MS = 5000;
/**
 * No hash starts while the event loop was busier than this over the last sample: routing is
 * at capacity, and a hash's CPU would come out of its share (a container's quota, or the
 * host's when it is shared), whatever the thread's priority. Sign-ins wait, up to MAX_WAIT_MS.
 */
const BUSY_LOOP_UTILIZATION = 0.9;
/**
 * Above this event-loop utilization (routing under load, though not at capacity) hashing
 * keeps to HASHING_SHARE_WHEN_BUSY of the time, after a burst of HASHING_BURST_MS: scrypt
 * (32 MiB a hash) slows the event loop through the memory and caches the cores share, however
 * low the thread's priority. Measured with bench:signin-flood: at 0.24 cores of hashing the
 * webhook's p99 rose 70%. The burst lets a few sign-ins at a time through at once.
 */
const LOOP_UTILIZATION_UNDER_LOAD = 0.5;
const HASHING_SHARE_WHEN_BUSY = 0.05;
const HASHING_BURST_MS = 1000;
const LOOP_SAMPLE_MS = 250;
const GATE_RETRY_MS = 50;
/**
 * Nice value of the hashing thread. At 10 the scheduler gives it about a tenth of a core
 * that the event loop, SQLite's writer or the databases want, and all of an idle one.
 */
const HASHING_NICE = 10;

// Plain CommonJS so it runs as an eval'd worker under tsc's output and under vitest alike.
// scryptSync, not scrypt: the async form would go back to the process-wide libuv threadpool.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { setPriority } = require('node:os');
try {
  // Linux keeps a nice value per thread, so only this thread yields.
  setPriority(Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0]), workerData.nice);
} catch {
  // No /proc/thread-self (macOS, Windows): still one hash at a time, at normal priority.
}
parentPort.on('message', (job) => {
  try {
    parentPort.postMessage({ key: scryptSync(job.password, job.salt, job.keyLength, job.options) });
  } catch (err) {
    parentPort.postMessage({ error: String((err && err.message) || err) });
  }
});
`;

interface Job {
  password: string;
  salt: Buffer;
  params: ScryptParams;
  enqueuedAt: number;
  resolve: (key: Buffer) => void;
  reject: (err: Error) => void;
}

type Reply = { key: Uint8Array } | { error: string };

function busy(waitSeconds: number): AppError {
  return new AppError('rate_limited', `Too many sign-ins are being checked right now. Try again in ${waitSeconds} s.`, undefined, {
    'retry-after': String(waitSeconds),
  });
}

/** The share of the last `intervalMs` the event loop spent running callbacks; 1 when saturated. */
function sampleLoopUtilization(intervalMs: number): { utilization(): number; stop(): void } {
  let last = performance.eventLoopUtilization();
  let utilization = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    utilization = performance.eventLoopUtilization(now, last).utilization;
    last = now;
  }, intervalMs);
  timer.unref();
  return { utilization: () => utilization, stop: () => clearInterval(timer) };
}

/**
 * One key derivation at a time on its own thread, started only while the event loop has room
 * and, while it is under load, at most HASHING_SHARE_WHEN_BUSY of the time after a short burst; at most
 * `queueLimit` more waiting, the rest refused at once.
 */
export function createBoundedDerive(queueLimit: number): { derive: DeriveKey; close(): Promise<void> } {
  const queue: Job[] = [];
  const loop = sampleLoopUtilization(LOOP_SAMPLE_MS);
  let running: Job | null = null;
  let worker: Worker | null = null;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;
  // A running estimate of one hash's duration, for Retry-After.
  let meanMs = 200;
  let startedAt = 0;
  // Hashing time (ms) that may still be spent under load: a token bucket refilled at the share
  // while the loop is busy, and at once while it is not.
  let credit = HASHING_BURST_MS;
  let refilledAt = Date.now();
  const underLoad = () => loop.utilization() > LOOP_UTILIZATION_UNDER_LOAD;
  function refill(): void {
    const now = Date.now();
    credit = underLoad() ? Math.min(HASHING_BURST_MS, credit + (now - refilledAt) * HASHING_SHARE_WHEN_BUSY) : HASHING_BURST_MS;
    refilledAt = now;
  }

  const retryAfterSeconds = () => Math.max(1, Math.ceil(((queue.length + 1) * meanMs) / 1000));

  function start(): Worker {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { nice: HASHING_NICE } });
    // Only a hash in progress keeps the process alive (see pump).
    w.unref();
    w.on('message', (reply: Reply) => {
      const job = running;
      running = null;
      if (!job) return;
      const tookMs = Date.now() - startedAt;
      meanMs = meanMs * 0.8 + tookMs * 0.2;
      refill();
      if (underLoad()) credit -= tookMs;
      if ('key' in reply) job.resolve(Buffer.from(reply.key.buffer, reply.key.byteOffset, reply.key.byteLength));
      else job.reject(new Error(`password hashing failed: ${reply.error}`));
      pump();
    });
    w.on('error', () => undefined); // 'exit' follows and settles the job
    w.on('exit', () => {
      if (worker === w) worker = null;
      const job = running;
      running = null;
      job?.reject(new AppError('service_unavailable', 'Password checking restarted; try again.', undefined, { 'retry-after': '1' }));
      pump();
    });
    return w;
  }

  function pump(): void {
    if (running || closed) return;
    // Oldest first: a sign-in that has waited too long has likely been given up on.
    while (queue[0] && Date.now() - queue[0].enqueuedAt > MAX_WAIT_MS) queue.shift()?.reject(busy(retryAfterSeconds()));
    const job = queue[0];
    if (!job) {
      worker?.unref();
      return;
    }
    refill();
    const resting = credit > 0 ? 0 : -credit / HASHING_SHARE_WHEN_BUSY;
    if (resting > 0 || loop.utilization() > BUSY_LOOP_UTILIZATION) {
      retry ??= setTimeout(
        () => {
          retry = undefined;
          pump();
        },
        // Looked at again within a loop sample: once the load is gone the bucket is full at once.
        Math.max(GATE_RETRY_MS, Math.min(resting, LOOP_SAMPLE_MS)),
      );
      return;
    }
    queue.shift();
    running = job;
    startedAt = Date.now();
    const w = (worker ??= start());
    w.ref();
    w.postMessage({ password: job.password, salt: job.salt, keyLength: KEY_LENGTH, options: scryptOptions(job.params) });
  }

  return {
    derive: (password, salt, params) => {
      if (closed) return Promise.reject(new AppError('service_unavailable', 'The service is shutting down.'));
      if (queue.length + (running ? 1 : 0) > queueLimit) return Promise.reject(busy(retryAfterSeconds()));
      return new Promise<Buffer>((resolve, reject) => {
        queue.push({ password, salt, params, enqueuedAt: Date.now(), resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      loop.stop();
      clearTimeout(retry);
      for (const job of queue.splice(0)) job.reject(new AppError('service_unavailable', 'The service is shutting down.'));
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

/** The hasher the configuration asks for (see PasswordHashingConfig). */
export function createPasswordHasher(config: PasswordHashingConfig): PasswordHasher {
  if (!config.worker) {
    return {
      hash: (password) => hashPassword(password, deriveOnThreadpool),
      verify: (password, stored) => verifyPassword(password, stored, deriveOnThreadpool),
      close: async () => undefined,
    };
  }
  const bounded = createBoundedDerive(config.queueLimit);
  return {
    hash: (password) => hashPassword(password, bounded.derive),
    verify: (password, stored) => verifyPassword(password, stored, bounded.derive),
    close: () => bounded.close(),
  };
}
