/**
 * Two builds of the service under the same load at the same time: this checkout against
 * another (a `git worktree` of the commit to compare with). Each runs in its own process with
 * its own tenant (embedded, or on its own database and Redis), and each gets voice-application
 * requests at the same fixed rate from its own load generator, in the same seconds. The
 * figure is build B's CPU per routed call ÷ build A's, per round and its median.
 *
 * Why not two runs of bench/webhook: on this shared host the bare server's CPU per request
 * moved 31 → 58 µs between rounds minutes apart, so a 5% change in the service is lost in
 * run-to-run drift. Loaded side by side, both builds meet the same drift. A fixed rate (not
 * "as fast as it answers") keeps the group commit's batching the same for both, since CPU per
 * call depends on how many calls share a commit.
 *
 *   BENCH_AGAINST=/tmp/old-worktree npx tsx bench/duel.ts
 *
 * A is BENCH_AGAINST (the baseline), B this checkout; both are built with `npm run build:server`.
 * Env: BENCH_AGAINST (required), BENCH_RATE (requests per second to each, 500),
 * BENCH_SECONDS (10 per round), BENCH_ROUNDS (5), BENCH_CONNECTIONS (25 per build),
 * BENCH_B_NODE_ARGS (node options for B only, space-separated: a runtime flag against none, with
 * BENCH_AGAINST naming this same checkout), BENCH_MODE (embedded, or postgres: each build on a
 * PostgreSQL database and a private redis-server of its own, and B ÷ A also for the service plus
 * its database backends and its Redis, the CPU the issue's scaled target counts).
 */
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { voiceLoadOptions } from './support/load.js';
import { postgresBackendPids, withBenchRedis, type BenchRedis } from './support/backing-servers.js';
import { createPostgresDatabase, type BenchDatabase } from './support/postgres-database.js';
import { buildServer, cpuByPid, cpuGrowth, cpuSeconds, ROOT, startService, type ServerProcess } from './support/processes.js';
import { createBenchTenant, type BenchTenant } from './support/tenant-setup.js';
import { loadAverage, log, median } from './support/webhook-report.js';

const AGAINST = process.env.BENCH_AGAINST;
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 25);
const B_NODE_ARGS = (process.env.BENCH_B_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
const MODE = process.env.BENCH_MODE ?? 'embedded';
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://vlb_test:vlb_test@127.0.0.1:5432/postgres';

/** A side's database and Redis in postgres mode; their processes' CPU is charged to its calls. */
interface Backing {
  database: BenchDatabase;
  redis: BenchRedis;
}

interface Side {
  label: string;
  server: ServerProcess;
  tenant: BenchTenant;
  dataDir: string;
  /** This side's database backends and redis-server (postgres mode). */
  backingPids: () => number[];
  close(): Promise<void>;
}

interface Load {
  cpuUs: number;
  /** The side's database backends and Redis, µs per call (0 embedded). */
  backingUs: number;
  ok: number;
  other: number;
  p99: number;
}

async function startSide(label: string, root: string, nodeArgs: readonly string[], backing: Backing | null): Promise<Side> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-duel-'));
  const scaled: Record<string, string> = backing ? { DATABASE_URL: backing.database.url, REDIS_URL: backing.redis.url, APP_KEY: randomBytes(32).toString('hex') } : {};
  const server = await startService(label, { DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...scaled }, nodeArgs, root);
  const backingPids = () => (backing ? [...postgresBackendPids(backing.database.name), ...backing.redis.pids()] : []);
  const close = async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { label, server, tenant: await createBenchTenant(server.base), dataDir, backingPids, close };
}

/** Runs `work` with a fresh database and a private redis-server per side (postgres mode), else none. */
async function withBackings<T>(work: (a: Backing | null, b: Backing | null) => Promise<T>): Promise<T> {
  if (MODE === 'embedded') return work(null, null);
  if (MODE !== 'postgres') throw new Error(`BENCH_MODE must be embedded or postgres (got "${MODE}")`);
  const [dbA, dbB] = [await createPostgresDatabase(POSTGRES_URL, 'duel_a'), await createPostgresDatabase(POSTGRES_URL, 'duel_b')];
  try {
    return await withBenchRedis(undefined, (redisA) => withBenchRedis(undefined, (redisB) => work({ database: dbA, redis: redisA }, { database: dbB, redis: redisB })));
  } finally {
    await Promise.all([dbA.drop(), dbB.drop()]);
  }
}

async function load(side: Side, seconds: number): Promise<Load> {
  const spec = { domain: side.tenant.domain, secret: side.tenant.secret, seconds, connections: CONNECTIONS, rate: RATE };
  const cpu0 = cpuSeconds(side.server.pid);
  const backing0 = cpuByPid(side.backingPids());
  const r = await autocannon(voiceLoadOptions(side.server, spec, seconds));
  const cpu = cpuSeconds(side.server.pid) - cpu0;
  const backing = cpuGrowth(backing0, side.backingPids());
  const all = r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
  const perCall = (seconds: number) => (all > 0 ? (seconds * 1e6) / all : 0);
  return { cpuUs: perCall(cpu), backingUs: perCall(backing), ok: r['2xx'], other: all - r['2xx'] + r.errors, p99: r.latency.p99 };
}

async function main(): Promise<void> {
  if (!AGAINST) throw new Error('BENCH_AGAINST=<another checkout of this repository> names build A, the baseline');
  const againstRoot = resolve(AGAINST);
  log(`duel: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores; A ${againstRoot}, B ${ROOT} ${B_NODE_ARGS.join(' ')}`);
  log(`${RATE} voice requests/s to each, ${CONNECTIONS} connections each, ${ROUNDS} rounds of ${SECONDS} s; load average ${loadAverage()}`);
  buildServer(againstRoot);
  buildServer();
  await withBackings(async (backingA, backingB) => {
    const a = await startSide('A', againstRoot, [], backingA);
    const b = await startSide('B', ROOT, B_NODE_ARGS, backingB);
    try {
      await rounds(a, b, backingA !== null);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
}

async function rounds(a: Side, b: Side, scaled: boolean): Promise<void> {
  // Warm-up (JIT, caches) at the same rate, unmeasured.
  await Promise.all([load(a, 3), load(b, 3)]);
  const ratios: number[] = [];
  const totalRatios: number[] = [];
  const shown = (l: Load) => `${l.cpuUs.toFixed(0)}${scaled ? ` + ${l.backingUs.toFixed(0)} database and Redis` : ''} µs/call (${l.ok} ok, ${l.other} other, p99 ${l.p99} ms)`;
  for (let round = 1; round <= ROUNDS; round += 1) {
    const [la, lb] = await Promise.all([load(a, SECONDS), load(b, SECONDS)]);
    ratios.push(lb.cpuUs / la.cpuUs);
    totalRatios.push((lb.cpuUs + lb.backingUs) / (la.cpuUs + la.backingUs));
    const total = scaled ? `, with database and Redis ${totalRatios[totalRatios.length - 1]!.toFixed(3)}` : '';
    log(`  round ${round}: A ${shown(la)}, B ${shown(lb)}: B ÷ A ${ratios[ratios.length - 1]!.toFixed(3)}${total}; load average ${loadAverage()}`);
  }
  const summary = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    return `median ${median(values).toFixed(3)} (range ${sorted[0]!.toFixed(3)}–${sorted[sorted.length - 1]!.toFixed(3)})`;
  };
  log(`B ÷ A, CPU per routed call: ${summary(ratios)}`);
  if (scaled) log(`B ÷ A, CPU per routed call with each side's database backends and Redis: ${summary(totalRatios)}`);
  for (const side of [a, b]) {
    const problems = side.server.problems();
    if (problems.count > 0) log(`${side.label} logged ${problems.count} warnings/errors; the first: ${problems.first}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
