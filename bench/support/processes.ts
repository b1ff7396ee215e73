import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { statusKiB } from './memory-parts.js';
import { PERF_FILE } from './perf-record.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A server under test, in its own process so its CPU time is its own. */
export interface ServerProcess {
  name: string;
  base: string;
  pid: number;
  /** The last lines it wrote, for error messages. */
  output(): string;
  /** How many warning and error lines it logged so far, and the first of them. */
  problems(): { count: number; first: string | null; byMessage: [message: string, count: number][] };
  /** SIGTERM, then SIGKILL after `graceMs` (0: at once, for a server whose backlog is not worth finishing). */
  stop(graceMs?: number): Promise<void>;
}

let clockTicks: number | null = null;
function ticksPerSecond(): number {
  if (clockTicks === null) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(r.stdout?.trim());
    clockTicks = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return clockTicks;
}

/** User + system CPU seconds a process has used so far (all its threads), from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / ticksPerSecond();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it answered:\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms:\n${output()}`);
}

/** Starts `node <args>` with the given environment and waits until `upPath` answers 2xx. */
export async function startProcess(name: string, args: string[], env: Record<string, string>, port: number, upPath: string, cwd = ROOT): Promise<ServerProcess> {
  // Output goes to a file, not a pipe: draining a pipe would cost this (the client's) process CPU.
  const logFile = join(mkdtempSync(join(tmpdir(), 'vlb-bench-log-')), 'server.log');
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const tail = () => readFileSync(logFile, 'utf8').slice(-4000);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(`${base}${upPath}`, child, tail);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  if (child.pid === undefined) throw new Error(`${name} has no pid`);
  return {
    name,
    base,
    pid: child.pid,
    output: tail,
    problems() {
      const lines = readFileSync(logFile, 'utf8').split('\n').filter((l) => /"level":(40|50|60)/.test(l));
      // What they said, most said first: a run's warnings are mostly one kind or two.
      const messages = new Map<string, number>();
      for (const l of lines) {
        const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(l)?.[1] ?? '(no message)';
        messages.set(msg, (messages.get(msg) ?? 0) + 1);
      }
      return { count: lines.length, first: lines[0]?.slice(0, 600) ?? null, byMessage: [...messages].sort((a, b) => b[1] - a[1]) };
    },
    stop: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(force);
          rmSync(dirname(logFile), { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The Node flags `npm start` gives the service in the checkout at `root` (package.json's start script). */
export function serviceNodeFlags(root = ROOT): string[] {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  const flags = /\bnode((?:\s+--\S+)*)\s+dist\/cli\/main\.js serve\b/.exec(scripts.start ?? '')?.[1];
  if (flags === undefined) throw new Error(`${root}/package.json: no "node … dist/cli/main.js serve" in the start script`);
  return flags.split(/\s+/).filter((f) => f !== '');
}

/** The service as `npm start` runs it (its Node flags too), built beforehand with `npm run build:server`. */
export async function startService(name: string, env: Record<string, string>, nodeArgs: readonly string[] = [], root = ROOT): Promise<ServerProcess> {
  const port = await freePort();
  // BENCH_PROFILE=<dir>: a V8 CPU profile of the service (one file per thread), written when it exits.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // BENCH_PERF=<file>: the JIT's symbols for perf (perf-record.ts).
  if (PERF_FILE) profile.push('--perf-basic-prof');
  // SIGNUP=open: benches sharing a database register a tenant each.
  return startProcess(name, [...serviceNodeFlags(root), ...profile, ...nodeArgs, 'dist/cli/main.js', 'serve'], { SIGNUP: 'open', ...env, PORT: String(port), HOST: '127.0.0.1' }, port, '/up', root);
}

/** A baseline server script of this folder, answering every voice request with these exact bytes. */
async function startFixedAnswer(name: string, scriptFile: string, body: string, contentType: string): Promise<ServerProcess> {
  const port = await freePort();
  const script = fileURLToPath(new URL(scriptFile, import.meta.url));
  return startProcess(name, ['--import', 'tsx', script], { BARE_PORT: String(port), BARE_BODY: body, BARE_CONTENT_TYPE: contentType }, port, '/');
}

/** A bare node:http server answering every request with these exact bytes. */
export const startBare = (body: string, contentType: string) => startFixedAnswer('bare node:http', './bare-server.ts', body, contentType);

/** Fastify with one route that parses the body and answers these exact bytes (see fastify-floor.ts). */
export const startFastifyFloor = (body: string, contentType: string) => startFixedAnswer('Fastify floor', './fastify-floor.ts', body, contentType);

/** Builds dist/ with tsc. tsc still emits on type errors; then the run goes on, saying so. */
export function buildServer(root = ROOT): void {
  const r = spawnSync('npm', ['run', '-s', 'build:server'], { cwd: root, stdio: 'inherit' });
  if (r.status === 0) return;
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('npm run build:server failed and dist/cli/main.js does not exist');
  console.warn('WARNING: npm run build:server reported errors (above); measuring the JavaScript tsc emitted anyway');
}

/** Pids of running processes with this command name (e.g. mariadbd, redis-server), for their CPU time. */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Resident set size of a process, KiB, from /proc/<pid>/status (VmRSS). */
export function rssKiB(pid: number): number {
  const kib = statusKiB(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
  if (kib === null) throw new Error(`no VmRSS for pid ${pid}`);
  return kib;
}

/** CPU seconds of each of these pids now (those already gone are left out). */
export function cpuByPid(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      out.set(pid, cpuSeconds(pid));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * CPU seconds used since `before` by the pids running now: a process started since
 * (a database backend for a new connection) counts whole; one that exited meanwhile
 * is lost, which undercounts a little rather than going negative.
 */
export function cpuGrowth(before: ReadonlyMap<number, number>, pidsNow: readonly number[]): number {
  let total = 0;
  for (const [pid, now] of cpuByPid(pidsNow)) total += Math.max(0, now - (before.get(pid) ?? 0));
  return total;
}

/** Summed CPU seconds of these pids (those that vanished count as 0). */
export function cpuSecondsOf(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuSeconds(pid);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
