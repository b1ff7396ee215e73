/**
 * Voice-application webhook throughput, latency and server CPU per request,
 * against a bare node:http server answering the same CXML bytes in the same run
 * (shared/stack.md trap 8: autocannon and the servers share the machine's cores).
 *
 *   npm run bench:webhook            # embedded (SQLite + memory plane), then scaled (MariaDB + Redis)
 *   BENCH_SECONDS=3 BENCH_SKIP_SCALED=1 npm run bench:webhook
 *
 * Env: BENCH_SECONDS (10), BENCH_CONNECTIONS (50), BENCH_MYSQL_URL, BENCH_REDIS_URL,
 * BENCH_SKIP_SCALED=1, BENCH_SKIP_INFO=1 (skip the LOG_LEVEL=info run).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { openStore } from '../src/store/database.js';
import { captureAnswer, measure, type LoadSpec, type Measured } from './support/load.js';
import { buildServer, startBare, startService, type ServerProcess } from './support/processes.js';
import { createBenchTenant } from './support/tenant-setup.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://vlb_test:vlb_test@127.0.0.1:3306/vlbt_bench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

interface Section {
  mode: string;
  target: number;
  bare: Measured;
  service: Measured;
  extra: Measured[];
  records: { total: number; perAgent: string };
}

const log = (line: string) => console.log(line);

/** Call records created under load, per agent: proof that every request was routed afresh. */
async function countRecords(databaseUrl: string): Promise<Map<string, number>> {
  const store = openStore(databaseUrl);
  try {
    const rows = await store.db
      .selectFrom('call_records')
      .select(['agent_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('agent_id')
      .execute();
    return new Map(rows.map((r) => [String(r.agent_id), Number(r.n)]));
  } finally {
    await store.close();
  }
}

function sum(m: Map<string, number>): number {
  return [...m.values()].reduce((a, b) => a + b, 0);
}

function show(m: Measured): void {
  log(
    `  ${m.name.padEnd(34)} ${m.rps.toFixed(0).padStart(7)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  ` +
      `server ${m.serverCpuUs.toFixed(0)} µs CPU/req (${m.serverCores.toFixed(2)} cores)  client ${m.clientCores.toFixed(2)} cores  ` +
      `non-2xx ${m.non2xx}  errors ${m.errors}`,
  );
}

/** Bare baseline, then the service (and extra variants), all with the same load. */
async function runSection(mode: string, target: number, databaseUrl: string, start: (logLevel: string) => Promise<ServerProcess>, withInfo: boolean): Promise<Section> {
  log(`\n== ${mode} ==`);
  let service = await start('warn');
  try {
    const tenant = await createBenchTenant(service.base);
    const spec: LoadSpec = { domain: tenant.domain, secret: tenant.secret, seconds: SECONDS, connections: CONNECTIONS };
    const answer = await captureAnswer(service.base, spec);
    log(`  captured answer (${Buffer.byteLength(answer.body)} bytes, ${answer.contentType})`);

    const bare = await startBare(answer.body, answer.contentType);
    let bareResult: Measured;
    try {
      bareResult = await measure(bare, spec);
    } finally {
      await bare.stop();
    }
    show(bareResult);

    const before = sum(await countRecords(databaseUrl));
    const serviceResult = await measure(service, spec);
    show(serviceResult);
    const perAgent = await countRecords(databaseUrl);
    const created = sum(perAgent) - before;
    const agents = [...perAgent.entries()].map(([id, n]) => `agent ${id}: ${n}`).join(', ');
    log(`  call records created during the run: ${created} for ${serviceResult.okWithWarmup} routed answers (${agents})`);
    if (created !== serviceResult.okWithWarmup) log('  WARNING: records and answers differ — some answers did not route afresh');

    const extra: Measured[] = [];
    if (withInfo) {
      await service.stop();
      service = await start('info');
      const info = await measure(service, spec);
      info.name = `${serviceResult.name.replace('warn', 'info')}`;
      show(info);
      extra.push(info);
    }
    return { mode, target, bare: bareResult, service: serviceResult, extra, records: { total: created, perAgent: agents } };
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
    const start = (level: string) => startService(`service LOG_LEVEL=${level}`, { DATA_DIR: dataDir, LOG_LEVEL: level });
    return await runSection('embedded: SQLite + memory plane', 0.5, `sqlite:${join(dataDir, 'voice-lb.sqlite')}`, start, process.env.BENCH_SKIP_INFO !== '1');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function scaled(): Promise<Section> {
  const dbName = new URL(MYSQL_URL).pathname.slice(1);
  if (!/^vlbt_\w+$/.test(dbName)) throw new Error(`BENCH_MYSQL_URL must name a vlbt_* database (got "${dbName}")`);
  const admin = await mysql.createConnection({ uri: MYSQL_URL.replace(`/${dbName}`, '/') });
  await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb();
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-'));
  const env = { DATA_DIR: dataDir, DATABASE_URL: MYSQL_URL, REDIS_URL, APP_KEY: randomBytes(32).toString('hex') };
  try {
    const start = (level: string) => startService(`service LOG_LEVEL=${level}`, { ...env, LOG_LEVEL: level });
    return await runSection('scaled: MariaDB + Redis', 0.3, MYSQL_URL, start, false);
  } finally {
    await redis.flushdb();
    redis.disconnect();
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function summary(sections: Section[]): void {
  log('\n| mode | server | req/s | p50 ms | p99 ms | server CPU µs/req | server cores | client cores |');
  log('|---|---|---:|---:|---:|---:|---:|---:|');
  for (const s of sections) {
    for (const m of [s.bare, s.service, ...s.extra]) {
      log(`| ${s.mode} | ${m.name} | ${m.rps.toFixed(0)} | ${m.p50.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.serverCpuUs.toFixed(0)} | ${m.serverCores.toFixed(2)} | ${m.clientCores.toFixed(2)} |`);
    }
  }
  log('');
  for (const s of sections) {
    const ratio = s.service.rps / s.bare.rps;
    log(
      `${s.mode}: throughput ${(ratio * 100).toFixed(1)}% of bare (target ≥ ${s.target * 100}%: ${ratio >= s.target ? 'met' : 'MISSED'}), ` +
        `p99 ×${(s.service.p99 / Math.max(s.bare.p99, 0.001)).toFixed(1)}, CPU/request ×${(s.service.serverCpuUs / Math.max(s.bare.serverCpuUs, 0.001)).toFixed(1)}`,
    );
    for (const e of s.extra) log(`  ${e.name}: ${((e.rps / s.service.rps) * 100).toFixed(1)}% of the warn-level throughput, CPU/request ×${(e.serverCpuUs / s.service.serverCpuUs).toFixed(2)}`);
  }
}

async function main(): Promise<void> {
  log(`webhook benchmark: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${SECONDS} s × ${CONNECTIONS} connections per run`);
  log('building the server (npm run build:server)…');
  buildServer();
  const sections = [await embedded()];
  if (process.env.BENCH_SKIP_SCALED !== '1') sections.push(await scaled());
  summary(sections);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
