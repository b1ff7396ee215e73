import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort, pidsNamed } from './processes.js';

/**
 * The database and Redis servers a scaled service uses, and which of their
 * processes to charge its calls to: the CPU the issue counts is service +
 * database + Redis per call, and the machine's servers also serve other sessions.
 */

/** A backend's title: `postgres: [15/main: ]<user> <database> <host>(<port>) <state>`. */
const BACKEND_TITLE = /^postgres: (?:[^:\s]+: )?\S+ (\S+) \S+\(\d+\)/;

/** Each running PostgreSQL process's database: a name for a backend, null for a server-wide process. */
function postgresProcesses(): { pid: number; database: string | null }[] {
  const out: { pid: number; database: string | null }[] = [];
  for (const pid of pidsNamed('postgres')) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      out.push({ pid, database: BACKEND_TITLE.exec(title)?.[1] ?? null });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * PostgreSQL's processes doing this database's work: the backends connected to
 * `database` and the server-wide ones (postmaster, WAL writer, checkpointer, background
 * writer, autovacuum), not the backends of other sessions' databases.
 */
export function postgresPids(database: string): number[] {
  return postgresProcesses()
    .filter((p) => p.database === null || p.database === database)
    .map((p) => p.pid);
}

/** Only the backends connected to `database`: what one of two services on the same server costs it. */
export function postgresBackendPids(database: string): number[] {
  return postgresProcesses()
    .filter((p) => p.database === database)
    .map((p) => p.pid);
}

export interface BenchRedis {
  url: string;
  /** The redis-server processes whose CPU is this run's. */
  pids(): number[];
}

/**
 * A private redis-server on a spare port (its CPU is this run's alone, and it holds
 * nothing of anybody else's), or, with `sharedUrl` (BENCH_REDIS_URL), that database
 * flushed before and after (its CPU then includes other clients of the server).
 */
export async function withBenchRedis<T>(sharedUrl: string | undefined, work: (redis: BenchRedis) => Promise<T>): Promise<T> {
  if (sharedUrl) {
    const client = new Redis(sharedUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    await client.connect();
    await client.flushdb();
    try {
      return await work({ url: sharedUrl, pids: () => pidsNamed('redis-server') });
    } finally {
      await client.flushdb();
      client.disconnect();
    }
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  try {
    await waitForRedis(url);
    if (child.pid === undefined) throw new Error('redis-server did not start');
    const pid = child.pid;
    return await work({ url, pids: () => [pid] });
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

async function waitForRedis(url: string): Promise<void> {
  for (let i = 0; i < 50; i += 1) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return;
    } catch {
      probe.disconnect();
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`redis-server at ${url} did not answer`);
}
