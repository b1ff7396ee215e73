/**
 * Voice-application webhook throughput, latency and server CPU per request,
 * against a bare node:http server answering the same CXML bytes in the same run
 * (shared/stack.md trap 8: autocannon and the servers share the machine's cores).
 *
 *   npm run bench:webhook            # embedded (SQLite + memory plane), then scaled (MariaDB + Redis)
 *   BENCH_SECONDS=3 BENCH_ONLY=embedded npm run bench:webhook
 *
 * The bare server, the Fastify floor (bench/support/fastify-floor.ts) and the service
 * are loaded in alternating rounds, and the ratio is the median of each round's ratio: the
 * host's speed drifts by a third between minutes, so a bare run measured once,
 * minutes before the service, made the ratio mostly noise.
 *
 * Env: BENCH_SECONDS (10 per round), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50), BENCH_MYSQL_URL, BENCH_REDIS_URL,
 * BENCH_ONLY=embedded|scaled, BENCH_SKIP_INFO=1 (skip the LOG_LEVEL=info run),
 * BENCH_PROFILE=<dir> (a V8 CPU profile of each service run, written when it stops).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/database.js';
import { captureAnswer, measure, measureSerial, type LoadSpec, type Measured, type Serial } from './support/load.js';
import { buildServer, pidsNamed, startBare, startFastifyFloor, startService, type ServerProcess } from './support/processes.js';
import { withScaledBackends } from './support/scaled-backends.js';
import { createBenchTenant } from './support/tenant-setup.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://vlb_test:vlb_test@127.0.0.1:3306/vlbt_bench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

interface Section {
  mode: string;
  target: number;
  /** Median of the rounds' service/bare throughput ratios, and each round's. */
  ratio: number;
  ratios: number[];
  /** Median of the rounds' Fastify-floor/bare ratios: what a framework that does nothing else keeps. */
  floorRatio: number;
  bare: Measured;
  floor: Measured;
  service: Measured;
  extra: Measured[];
  serial: { bare: Serial; service: Serial };
  records: { created: number; expected: number; perAgent: string };
}

const log = (line: string) => console.log(line);

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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The round with the median throughput, as the one shown in the summary table. */
function medianRun(runs: readonly Measured[]): Measured {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function show(m: Measured): void {
  log(
    `  ${m.name.padEnd(24)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  ` +
      `server ${m.serverCpuUs.toFixed(0)} µs CPU/req (${m.serverCores.toFixed(2)} cores)  client ${m.clientCores.toFixed(2)} cores` +
      `${m.backingCpuUs === null ? '' : `  MariaDB+Redis ${m.backingCpuUs.toFixed(0)} µs CPU/req`}  non-2xx ${m.non2xx}  errors ${m.errors}`,
  );
}

function showSerial(name: string, s: Serial): void {
  log(`  ${name.padEnd(24)} one at a time: p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  server ${s.serverCpuUs.toFixed(0)} µs CPU/req`);
}

const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Bare baseline, then the service (and extra variants), all with the same load. */
async function runSection(mode: string, target: number, databaseUrl: string, start: (logLevel: string) => Promise<ServerProcess>, withInfo: boolean, backingPids: number[] = []): Promise<Section> {
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
        services.push(await measure(service, spec, backingPids, warmup));
        const ofBare = (m: Measured) => `${((m.rps / bares[round]!.rps) * 100).toFixed(1)}%`;
        log(`  round ${round + 1}: service ${ofBare(services[round]!)} of bare (Fastify floor ${ofBare(floors[round]!)})`);
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
      const info = await measure(service, spec, backingPids);
      show(info);
      extra.push(info);
    }
    return { mode, target, ratio: median(ratios), ratios, floorRatio: median(floorRatios), bare: bareResult, floor: medianRun(floors), service: serviceResult, extra, serial: { bare: bareSerial, service: serviceSerial }, records: { created, expected, perAgent } };
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
    return await runSection('embedded: SQLite + memory plane', 0.5, `sqlite:${join(dataDir, 'voice-lb.sqlite')}`, start, process.env.BENCH_SKIP_INFO !== '1');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function scaled(): Promise<Section> {
  return withScaledBackends(MYSQL_URL, REDIS_URL, (env) => {
    const start = (level: string) => startService(`service (${level})`, { ...env, LOG_LEVEL: level });
    const backing = [...pidsNamed('mariadbd'), ...pidsNamed('redis-server')];
    return runSection('scaled: MariaDB + Redis', 0.3, MYSQL_URL, start, false, backing);
  });
}

function summary(sections: Section[]): void {
  log('\n| mode | server | req/s | p50 ms | p99 ms | server CPU µs/req | server cores | client cores | serial p50 ms |');
  log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of sections) {
    const serial = new Map([[s.bare.name, s.serial.bare.p50], [s.service.name, s.serial.service.p50]]);
    for (const m of [s.bare, s.floor, s.service, ...s.extra]) {
      const sp = serial.get(m.name);
      log(
        `| ${s.mode} | ${m.name} | ${m.rps.toFixed(0)} | ${m.p50.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.serverCpuUs.toFixed(0)} | ` +
          `${m.serverCores.toFixed(2)} | ${m.clientCores.toFixed(2)} | ${sp === undefined ? '–' : sp.toFixed(2)} |`,
      );
    }
  }
  log('');
  for (const s of sections) {
    const ratio = s.ratio;
    log(
      `${s.mode}: throughput ${(ratio * 100).toFixed(1)}% of bare, median of ${s.ratios.length} alternating rounds (${s.ratios.map((r) => (r * 100).toFixed(1)).join(', ')}) ` +
        `(target ≥ ${s.target * 100}%: ${ratio >= s.target ? 'met' : 'MISSED'}), ` +
        `p99 ×${(s.service.p99 / Math.max(s.bare.p99, 0.001)).toFixed(1)}, server CPU/request ×${(s.service.serverCpuUs / Math.max(s.bare.serverCpuUs, 0.001)).toFixed(1)}`,
    );
    log(
      `  Fastify floor (the framework parsing the body and answering the same bytes, nothing else): ${(s.floorRatio * 100).toFixed(1)}% of bare, ` +
        `server CPU/request ×${(s.floor.serverCpuUs / Math.max(s.bare.serverCpuUs, 0.001)).toFixed(1)}`,
    );
    for (const e of s.extra) {
      log(`  ${e.name}: ${((e.rps / s.service.rps) * 100).toFixed(1)}% of the warn-level throughput, CPU/request ×${(e.serverCpuUs / s.service.serverCpuUs).toFixed(2)}`);
    }
  }
  log(`load average at the end: ${loadAverage()}`);
}

async function main(): Promise<void> {
  log(`webhook benchmark: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${SECONDS} s × ${CONNECTIONS} connections per run`);
  log('building the server (npm run build:server)…');
  buildServer();
  const only = process.env.BENCH_ONLY;
  const sections: Section[] = [];
  if (only !== 'scaled') sections.push(await embedded());
  if (only !== 'embedded') sections.push(await scaled());
  summary(sections);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
