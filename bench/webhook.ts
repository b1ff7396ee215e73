/**
 * Voice-application webhook throughput, latency and CPU per request, against a bare
 * node:http server answering the same CXML bytes in the same run (shared/stack.md
 * trap 8: autocannon and the servers share the machine's cores).
 *
 *   npm run bench:webhook            # embedded (SQLite + memory plane), PostgreSQL + Redis, MariaDB + Redis
 *   BENCH_SECONDS=5 BENCH_ROUNDS=3 BENCH_ONLY=embedded npm run bench:webhook
 *
 * The bare server, the Fastify floor (bench/support/fastify-floor.ts) and the service
 * are loaded in alternating rounds, and each ratio is the median of the rounds' ratios: the
 * host's speed drifts by a third between minutes, so a bare run measured once,
 * minutes before the service, made the ratio mostly noise.
 *
 * Issue 23's figure is CPU per fully recorded routed call ÷ the bare server's CPU per
 * request: the service process (all its threads, /proc) embedded, ≤ ×4; service +
 * database + Redis scaled, ≤ ×8. The database's share is its processes that serve this run:
 * PostgreSQL's backends of the bench database and its server-wide processes, or the
 * whole mariadbd (which also serves anybody else using it). Redis is a private
 * redis-server on a spare port unless BENCH_REDIS_URL names a shared one.
 *
 * Env: BENCH_SECONDS (10 per round), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50),
 * BENCH_MYSQL_URL (a vlbt_* database, dropped and created), BENCH_POSTGRES_URL (any database
 * of the server: a vlbt_* one is created and dropped; else TEST_POSTGRES_URL), BENCH_REDIS_URL
 * (a shared Redis database to flush and use instead of a private server),
 * BENCH_ONLY=embedded|postgres|mariadb|scaled (scaled: both databases), BENCH_SKIP_INFO=1 (skip
 * the LOG_LEVEL=info run), BENCH_PROFILE=<dir> (a V8 CPU profile of each service run and each
 * of its threads, written when it stops; `npx tsx bench/profile-breakdown.ts <dir>` sums it up),
 * BENCH_PERF=<file> (`perf record` of the service's first measured round: CPU by thread, library
 * and function, where the V8 profile samples wall time; see support/perf-record.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/database.js';
import { postgresPids, withBenchRedis, type BenchRedis } from './support/backing-servers.js';
import { captureAnswer, measure, measureSerial, type Backing, type LoadSpec, type Measured, type Serial } from './support/load.js';
import { createPostgresDatabase } from './support/postgres-database.js';
import { buildServer, pidsNamed, startBare, startFastifyFloor, startService, type ServerProcess } from './support/processes.js';
import { withScaledBackends } from './support/scaled-backends.js';
import { createBenchTenant } from './support/tenant-setup.js';
import { callCpuUs, loadAverage, log, median, medianRun, show, showSerial, summary, type Section } from './support/webhook-report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://vlb_test:vlb_test@127.0.0.1:3306/vlbt_bench';
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://vlb_test:vlb_test@127.0.0.1:5432/postgres';
const SHARED_REDIS_URL = process.env.BENCH_REDIS_URL;
/** Issue 23: CPU per call at most this many times the bare server's per request. */
const EMBEDDED_CPU_TARGET = 4;
const SCALED_CPU_TARGET = 8;

/** Call records per agent: proof that every request was routed afresh, not answered from the idempotency cache. */
async function countRecords(databaseUrl: string): Promise<Map<string, number>> {
  const store = openStore(databaseUrl);
  try {
    const rows = await store.db
      .selectFrom('call_records')
      .select(['agent_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['agent_id', 'status'])
      .execute();
    return new Map(rows.map((r) => [`agent ${r.agent_id ?? 'none'} ${r.status}`, Number(r.n)]));
  } finally {
    await store.close();
  }
}

/** Counts once the server has finished what was still in flight when the load stopped. */
async function settledRecords(databaseUrl: string): Promise<Map<string, number>> {
  let last = await countRecords(databaseUrl);
  for (let i = 0; i < 20; i += 1) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await countRecords(databaseUrl);
    if ([...now].every(([k, n]) => last.get(k) === n) && now.size === last.size) return now;
    last = now;
  }
  return last;
}

function sum(m: Map<string, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0);
}

/** Bare baseline, then the service (and extra variants), all with the same load. */
async function runSection(mode: string, cpuTarget: number, databaseUrl: string, start: (logLevel: string) => Promise<ServerProcess>, withInfo: boolean, backing: Backing = []): Promise<Section> {
  log(`\n== ${mode} == (load average ${loadAverage()})`);
  let service = await start('warn');
  try {
    const tenant = await createBenchTenant(service.base);
    const spec: LoadSpec = { domain: tenant.domain, secret: tenant.secret, seconds: SECONDS, connections: CONNECTIONS };
    const answer = await captureAnswer(service.base, spec);
    log(`  captured answer: ${Buffer.byteLength(answer.body)} bytes, ${answer.contentType}`);

    const bare = await startBare(answer.body, answer.contentType);
    const floor = await startFastifyFloor(answer.body, answer.contentType);
    const before = sum(await countRecords(databaseUrl));
    const bares: Measured[] = [];
    const floors: Measured[] = [];
    const services: Measured[] = [];
    let bareSerial: Serial;
    let serviceSerial: Serial;
    try {
      bareSerial = await measureSerial(bare, spec);
      showSerial(bare.name, bareSerial);
      serviceSerial = await measureSerial(service, spec);
      showSerial(service.name, serviceSerial);
      for (let round = 0; round < ROUNDS; round += 1) {
        // Each server warms up (JIT, connection pools) before its first measured round only.
        const warmup = round === 0 ? 2 : 0;
        bares.push(await measure(bare, spec, [], warmup));
        floors.push(await measure(floor, spec, [], warmup));
        services.push(await measure(service, spec, backing, warmup));
        const ofBare = (m: Measured) => `${((m.rps / bares[round]!.rps) * 100).toFixed(1)}%`;
        log(`  round ${round + 1}: service ${ofBare(services[round]!)} of bare (Fastify floor ${ofBare(floors[round]!)}), CPU per call ×${(callCpuUs(services[round]!) / bares[round]!.serverCpuUs).toFixed(1)} bare`);
        show(bares[round]!);
        show(floors[round]!);
        show(services[round]!);
      }
    } finally {
      await bare.stop();
      await floor.stop();
    }
    const ratios = services.map((m, i) => m.rps / bares[i]!.rps);
    const floorRatios = floors.map((m, i) => m.rps / bares[i]!.rps);
    const bareResult = medianRun(bares);
    const serviceResult = medianRun(services);
    const perAgentMap = await settledRecords(databaseUrl);
    const created = sum(perAgentMap) - before;
    const expected = serviceSerial.count + services.reduce((n, m) => n + m.okWithWarmup, 0);
    const perAgent = [...perAgentMap.entries()].map(([k, n]) => `${k}: ${n}`).join(', ');
    // A few more records than answers is expected: requests in flight when autocannon stops are still routed.
    log(`  call records created: ${created} for ${expected} counted answers (+ up to ${2 * CONNECTIONS * ROUNDS} in flight at the ends of runs): ${perAgent}`);
    if (created < expected) log('  WARNING: fewer records than answers: some answers did not route afresh');
    const problems = service.problems();
    if (problems.count > 0) log(`  the service logged ${problems.count} warnings/errors; the first: ${problems.first}`);

    const extra: Measured[] = [];
    if (withInfo) {
      await service.stop();
      service = await start('info');
      const info = await measure(service, spec, backing);
      show(info);
      extra.push(info);
    }
    const cpuRatios = services.map((m, i) => callCpuUs(m) / Math.max(bares[i]!.serverCpuUs, 0.001));
    const p99Ratios = services.map((m, i) => m.p99 / Math.max(bares[i]!.p99, 0.001));
    return { mode, cpuTarget, cpuRatios, cpuRatio: median(cpuRatios), p99Ratio: median(p99Ratios), ratio: median(ratios), ratios, floorRatio: median(floorRatios), bare: bareResult, floor: medianRun(floors), service: serviceResult, extra, serial: { bare: bareSerial, service: serviceSerial }, records: { created, expected, perAgent } };
  } catch (err) {
    log(`  server output:\n${service.output()}`);
    throw err;
  } finally {
    await service.stop();
  }
}

async function embedded(): Promise<Section> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-'));
  try {
    const start = (level: string) => startService(`service (${level})`, { DATA_DIR: dataDir, LOG_LEVEL: level });
    return await runSection('embedded: SQLite + memory plane', EMBEDDED_CPU_TARGET, `sqlite:${join(dataDir, 'voice-lb.sqlite')}`, start, process.env.BENCH_SKIP_INFO !== '1');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function postgres(redis: BenchRedis): Promise<Section> {
  const database = await createPostgresDatabase(POSTGRES_URL, 'bench_webhook');
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-'));
  try {
    const env = { DATA_DIR: dataDir, DATABASE_URL: database.url, REDIS_URL: redis.url, APP_KEY: randomBytes(32).toString('hex') };
    const start = (level: string) => startService(`service (${level})`, { ...env, LOG_LEVEL: level });
    const backing = () => [...postgresPids(database.name), ...redis.pids()];
    return await runSection('scaled: PostgreSQL + Redis', SCALED_CPU_TARGET, database.url, start, false, backing);
  } finally {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function mariadb(redis: BenchRedis): Promise<Section> {
  return withScaledBackends(MYSQL_URL, redis.url, (env) => {
    const start = (level: string) => startService(`service (${level})`, { ...env, LOG_LEVEL: level });
    const backing = () => [...pidsNamed('mariadbd'), ...redis.pids()];
    return runSection('scaled: MariaDB + Redis', SCALED_CPU_TARGET, MYSQL_URL, start, false, backing);
  });
}

async function main(): Promise<void> {
  log(`webhook benchmark: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${SECONDS} s × ${CONNECTIONS} connections per run`);
  log('building the server (npm run build:server)…');
  buildServer();
  const only = process.env.BENCH_ONLY;
  if (only !== undefined && !['embedded', 'postgres', 'mariadb', 'scaled'].includes(only)) throw new Error(`BENCH_ONLY must be embedded, postgres, mariadb or scaled (got "${only}")`);
  const runs = (mode: string) => only === undefined || only === mode || (only === 'scaled' && mode !== 'embedded');
  const sections: Section[] = [];
  if (runs('embedded')) sections.push(await embedded());
  if (runs('postgres')) sections.push(await withBenchRedis(SHARED_REDIS_URL, postgres));
  if (runs('mariadb')) sections.push(await withBenchRedis(SHARED_REDIS_URL, mariadb));
  summary(sections);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
