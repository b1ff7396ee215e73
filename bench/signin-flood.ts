/**
 * Does a sign-in flood slow the voice webhook? Its throughput and p99 alone, then while
 * another process sends ~17 sign-ins a second (wrong and right passwords alternating),
 * for two builds of the same server in the same run:
 *
 * - "threadpool": PASSWORD_HASH_WORKER=false, scrypt on libuv's threadpool as before
 *   (4 threads on this 2-core machine, competing with the event loop and SQLite's writer);
 * - "hashing thread": the default, one hash at a time on a thread at nice 10, at most
 *   PASSWORD_HASH_QUEUE waiting, the rest refused with 429;
 * - a control: the same server and flood, but every sign-in fails validation (422) before
 *   anything is hashed, so what remains is the requests' own cost and the host's noise.
 *
 * The sign-in throttles are raised out of the way (LOGIN_MAX_ATTEMPTS*, a flood from many
 * addresses looks like this), so every attempt reaches the hashing. Everything listens on
 * 127.0.0.1 and stops by itself: about two minutes with the defaults, plus the build (~40 s).
 *
 *   npm run bench:signin-flood
 *   BENCH_SECONDS=5 BENCH_ROUNDS=1 npm run bench:signin-flood
 *
 * Env: BENCH_SECONDS (4 per run), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50), BENCH_RATE (webhooks/s;
 * unset: as fast as the server answers), FLOOD_RATE (17 sign-ins/s).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, type LoadSpec, type Measured } from './support/load.js';
import { buildServer, ROOT, startService, type ServerProcess } from './support/processes.js';
import { createBenchTenant, type BenchTenant } from './support/tenant-setup.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RATE = process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined;
const FLOOD_RATE = Number(process.env.FLOOD_RATE ?? 17);
/** The acceptance of issue 17: a sign-in flood changes the webhook's p99 by less than this. */
const P99_TOLERANCE = 0.2;

const log = (line: string) => console.log(line);
const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');

interface FloodResult {
  sent: number;
  skipped: number;
  seconds: number;
  statuses: Record<string, number>;
  unanswered: number;
  p50: number;
  p99: number;
}

interface Variant {
  name: string;
  env: Record<string, string>;
  /** The flood's sign-ins fail validation (422) before anything is hashed: what the requests alone cost. */
  invalidFlood: boolean;
  server: ServerProcess;
  tenant: BenchTenant;
  dataDir: string;
  alone: Measured[];
  flooded: { load: Measured; flood: FloodResult; hashingCores: number | null }[];
}

/** Starts the flood client and resolves once it is sending; stop() ends it and returns its counts. */
async function startFlood(base: string, tenant: BenchTenant, invalid: boolean): Promise<{ stop(): Promise<FloodResult> }> {
  const script = fileURLToPath(new URL('./support/signin-flood-client.ts', import.meta.url));
  const env = { PATH: process.env.PATH ?? '', FLOOD_URL: base, FLOOD_EMAIL: tenant.adminEmail, FLOOD_PASSWORD: tenant.adminPassword, FLOOD_RATE: String(FLOOD_RATE), FLOOD_MAX_SECONDS: String(SECONDS + 30), FLOOD_INVALID: invalid ? '1' : '0' };
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 15_000;
  while (!out.includes('ready\n')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the sign-in flood did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) throw new Error(`the sign-in flood printed no result: ${out}`);
      return JSON.parse(line) as FloodResult;
    },
  };
}

/** CPU seconds of the server's threads running below normal priority: the hashing thread. */
function lowPriorityThreadSeconds(pid: number): number {
  let ticks = 0;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').split(') ')[1]!.split(' ');
      if (Number(fields[16]) > 0) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the thread ended meanwhile
    }
  }
  return ticks / 100;
}

/**
 * The threadpool build keeps hashing its backlog for 20–30 s after the flood stops (every
 * attempt was accepted), which would slow whatever is measured next: that server is
 * restarted instead, over the same data. The bounded build has nothing left by then.
 */
async function settle(v: Variant): Promise<string> {
  if (v.env.PASSWORD_HASH_WORKER !== 'false') return 'nothing left queued';
  // Killed, not stopped: a graceful close would wait for the backlog it is dropping.
  await v.server.stop(0);
  v.server = await startService(v.name, v.env);
  return 'restarted to drop its backlog';
}

async function startVariant(name: string, env: Record<string, string>, invalidFlood = false): Promise<Variant> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-flood-'));
  const fullEnv = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOGIN_MAX_ATTEMPTS: '1000', LOGIN_MAX_ATTEMPTS_PER_ADDRESS: '1000000', ...env };
  const server = await startService(name, fullEnv);
  try {
    const tenant = await createBenchTenant(server.base);
    return { name, env: fullEnv, invalidFlood, server, tenant, dataDir, alone: [], flooded: [] };
  } catch (err) {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

function spec(v: Variant): LoadSpec {
  return { domain: v.tenant.domain, secret: v.tenant.secret, seconds: SECONDS, connections: CONNECTIONS, rate: RATE };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function show(label: string, m: Measured): string {
  return `${label.padEnd(14)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  server ${m.serverCpuUs.toFixed(0)} µs CPU/req (${m.serverCores.toFixed(2)} cores)  non-2xx ${m.non2xx}  errors ${m.errors}`;
}

function showFlood(f: FloodResult, hashingCores: number | null): string {
  const statuses = Object.entries(f.statuses).map(([s, n]) => `${s}: ${n}`).join(', ');
  const hashing = hashingCores === null ? '' : `  hashing thread ${hashingCores.toFixed(2)} cores`;
  return `  flood: ${(f.sent / f.seconds).toFixed(1)} sign-ins/s sent (${statuses}; skipped ${f.skipped}, unanswered ${f.unanswered}), answered p50 ${f.p50.toFixed(0)} ms p99 ${f.p99.toFixed(0)} ms${hashing}`;
}

async function round(v: Variant, index: number): Promise<void> {
  // The threadpool build is a fresh process after each flood: it warms up every time.
  const alone = await measure(v.server, spec(v), [], index === 0 ? 2 : v.env.PASSWORD_HASH_WORKER === 'false' ? 1 : 0);
  v.alone.push(alone);
  log(`  ${v.name}, round ${index + 1}: ${show('alone', alone)}`);
  const flood = await startFlood(v.server.base, v.tenant, v.invalidFlood);
  // Let the flood reach its steady state (queue full, or threadpool busy) before measuring.
  await new Promise((r) => setTimeout(r, 1000));
  const hashingBefore = lowPriorityThreadSeconds(v.server.pid);
  const started = Date.now();
  const load = await measure(v.server, spec(v), [], 0);
  const hashingSeconds = lowPriorityThreadSeconds(v.server.pid) - hashingBefore;
  const result = await flood.stop();
  const settled = await settle(v);
  const hashingCores = v.env.PASSWORD_HASH_WORKER === 'false' ? null : hashingSeconds / ((Date.now() - started) / 1000);
  v.flooded.push({ load, flood: result, hashingCores });
  log(`  ${v.name}, round ${index + 1}: ${show('sign-in flood', load)}`);
  log(`${showFlood(result, hashingCores)}; then ${settled}`);
}

const pct = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(0)}%`;

/**
 * Changes are the median of each round's flood/alone ratio: the two runs of a round are
 * seconds apart, so the host's drift (other work on it) cancels better than across rounds.
 */
function summary(variants: Variant[]): void {
  log('\n| hashing | webhook req/s alone | under flood | change | p99 ms alone | under flood | **p99 change** | sign-ins/s answered 200/401 | refused 429 | hashing thread cores |');
  log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const v of variants) {
    const rpsChange = median(v.flooded.map((f, i) => f.load.rps / v.alone[i]!.rps));
    const p99Change = median(v.flooded.map((f, i) => f.load.p99 / v.alone[i]!.p99));
    const seconds = v.flooded.reduce((n, f) => n + f.flood.seconds, 0);
    const served = v.flooded.reduce((n, f) => n + (f.flood.statuses['200'] ?? 0) + (f.flood.statuses['401'] ?? 0), 0);
    const refused = v.flooded.reduce((n, f) => n + (f.flood.statuses['429'] ?? 0), 0);
    const hashing = v.flooded.map((f) => f.hashingCores).filter((c): c is number => c !== null);
    log(
      `| ${v.name} | ${median(v.alone.map((m) => m.rps)).toFixed(0)} | ${median(v.flooded.map((f) => f.load.rps)).toFixed(0)} | ${pct(rpsChange)} | ` +
        `${median(v.alone.map((m) => m.p99)).toFixed(0)} | ${median(v.flooded.map((f) => f.load.p99)).toFixed(0)} | **${pct(p99Change)}** | ` +
        `${(served / seconds).toFixed(1)} | ${(refused / seconds).toFixed(1)} | ${hashing.length > 0 ? median(hashing).toFixed(2) : '–'} |`,
    );
  }
  log('');
  for (const v of variants) {
    const ratios = v.flooded.map((f, i) => f.load.p99 / v.alone[i]!.p99);
    const change = median(ratios) - 1;
    log(
      `${v.name}: p99 under the flood ${pct(median(ratios))}, median of ${ratios.length} rounds (${ratios.map(pct).join(', ')}) ` +
        (v.invalidFlood ? '(nothing hashed: the requests themselves and the host)' : `(acceptance |change| < ${P99_TOLERANCE * 100}%: ${Math.abs(change) < P99_TOLERANCE ? 'met' : 'MISSED'})`),
    );
    const problems = v.server.problems();
    if (problems.count > 0) log(`  the service logged ${problems.count} warnings/errors; the first: ${problems.first}`);
  }
  log(`load average at the end: ${loadAverage()}`);
}

async function main(): Promise<void> {
  log(
    `sign-in flood benchmark: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ` +
      `${SECONDS} s × ${CONNECTIONS} connections${RATE ? ` at ${RATE} req/s` : ''} per run, ${ROUNDS} rounds, flood ${FLOOD_RATE} sign-ins/s, load average ${loadAverage()}`,
  );
  log('building the server (npm run build:server)…');
  buildServer();
  const variants: Variant[] = [];
  try {
    // Both servers run from the start, idle when not measured, so the rounds alternate between them.
    variants.push(await startVariant('threadpool (before)', { PASSWORD_HASH_WORKER: 'false' }));
    variants.push(await startVariant('hashing thread (after)', { PASSWORD_HASH_WORKER: 'true' }));
    variants.push(await startVariant('control: flood of 422s', { PASSWORD_HASH_WORKER: 'true' }, true));
    const started = Date.now();
    for (let r = 0; r < ROUNDS; r += 1) {
      for (const v of variants) await round(v, r);
    }
    summary(variants);
    log(`measured in ${((Date.now() - started) / 1000).toFixed(0)} s after the build and set-up`);
  } finally {
    for (const v of variants) {
      await v.server.stop();
      rmSync(v.dataDir, { recursive: true, force: true });
    }
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
