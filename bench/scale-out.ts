/**
 * Scale-out and rolling restart: three `serve` instances (node dist/cli/main.js serve) on one
 * fresh PostgreSQL database and a Redis server of this script's own, behind a small local
 * proxy (bench/support/ready-proxy.ts: round robin over the instances whose health check
 * answers 200, retrying refused or reset requests on the next one, /ws passed through).
 * Through it: whole calls at a steady rate (voice request, Dial action callbacks, session
 * updates, CDR; 503s to updates and CDRs retried as Cloudonix does), admin reads and
 * dashboards on /ws. Mid-load each instance in turn gets SIGTERM, exits, starts again
 * and must pass its health check before the next. Afterwards the database is read back.
 *
 *   npm run bench:scale-out
 *   BENCH_SECONDS=90 BENCH_CALLS_PER_SECOND=20 npm run bench:scale-out
 *
 * Env: BENCH_SECONDS (75, the least load time), BENCH_CALLS_PER_SECOND (15), BENCH_MAX_CALLS (3000),
 * BENCH_DASHBOARDS (4), BENCH_POSTGRES_URL (else TEST_POSTGRES_URL, else the local server; a
 * vlbt_* database is created on it and dropped), BENCH_HEALTH_PATH (/ready, else /health when
 * /ready is not there), BENCH_LOG_LEVEL (info), BENCH_STOP_SIGNAL (SIGTERM; SIGKILL crashes each
 * instance instead, a control for the checks). SHUTDOWN_* variables are passed to the instances.
 * Exits 1 when the acceptance fails: a lost record, a 5xx other than a 503 to a session update or
 * CDR, a voice answer that is not CXML, or an agent's share of calls more than 1% from equal.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateRedis } from '../test/support/private-redis.js';
import { runAdminReads } from './support/admin-reads.js';
import { runCallLoad } from './support/call-load.js';
import { startDashboards } from './support/dashboards.js';
import { ExchangeLog, type Window } from './support/exchange-log.js';
import { createPostgresDatabase } from './support/postgres-database.js';
import { buildServer, freePort } from './support/processes.js';
import { startReadyProxy } from './support/ready-proxy.js';
import { checkRecords } from './support/record-check.js';
import { judge, printReport, type Restart } from './support/scale-out-report.js';
import { defineInstance, type Instance } from './support/serve-instances.js';
import { createBenchTenant } from './support/tenant-setup.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 75);
const CALLS_PER_SECOND = Number(process.env.BENCH_CALLS_PER_SECOND ?? 15);
const MAX_CALLS = Number(process.env.BENCH_MAX_CALLS ?? 3000);
const DASHBOARDS = Number(process.env.BENCH_DASHBOARDS ?? 4);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://vlb_test:vlb_test@127.0.0.1:5432/postgres';
/** Steady load before the first restart and between restarts. */
const STEADY_MS = 12_000;
/** Whatever happens, no call starts after this. */
const HARD_LIMIT_MS = 150_000;
const INSTANCES = 3;
/** SIGKILL instead: a crash, not a restart — a control that shows what the checks catch. */
const STOP_SIGNAL: NodeJS.Signals = process.env.BENCH_STOP_SIGNAL === 'SIGKILL' ? 'SIGKILL' : 'SIGTERM';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => console.log(line);

async function api(base: string, method: string, path: string, token: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}

async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(50)) {
    if ((await fetch(url).then((r) => r.status, () => 0)) === status) return true;
  }
  return false;
}

async function main(): Promise<void> {
  buildServer();
  const database = await createPostgresDatabase(POSTGRES_URL, 'scale_out');
  const redis = await startPrivateRedis();
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-scale-out-data-'));
  const passed = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('SHUTDOWN_')).map(([k, v]) => [k, v ?? '']));
  const env = {
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    APP_KEY: randomBytes(32).toString('hex'),
    SIGNUP: 'open',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    ...passed,
  };
  const instances: Instance[] = [];
  let proxy: Awaited<ReturnType<typeof startReadyProxy>> | null = null;
  try {
    for (let i = 0; i < INSTANCES; i += 1) instances.push(defineInstance(`i${i + 1}`, await freePort(), env, '/up'));
    // The first migrates the new database; the others start together and find it done.
    await instances[0]!.start();
    await Promise.all(instances.slice(1).map((i) => i.start()));
    const first = instances[0]!;
    const healthPath = process.env.BENCH_HEALTH_PATH ?? ((await fetch(`${first.base}/ready`).then((r) => r.status)) === 404 ? '/health' : '/ready');
    log(`load average before the load: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    log(`three instances up on ${instances.map((i) => i.port).join(', ')}; PostgreSQL database ${database.name}; Redis ${redis.url}; health check GET ${healthPath}`);

    const tenant = await createBenchTenant(first.base);
    const third = (await api(first.base, 'POST', '/api/voice-agents', tenant.adminToken, { name: 'Bench agent 3', provider: 'vapi', service_value: '+12125551003' })) as { id: number };
    await api(first.base, 'POST', `/api/agent-groups/${tenant.groupId}/members`, tenant.adminToken, { agent_id: third.id });
    // Scripted no-answers and hang-ups are technical failures: with the default threshold (3) an agent would be
    // taken out of rotation now and then, which is health doing its job, not unfairness. 20 keeps them all in.
    await api(first.base, 'PUT', '/api/tenant', tenant.adminToken, { settings: { health: { failure_threshold: 20 } } });

    proxy = await startReadyProxy(instances.map((i) => ({ name: i.name, port: i.port })), healthPath, 250);
    if (!proxy.upstreams.every((u) => u.healthy)) throw new Error(`not every instance passes GET ${healthPath}`);

    const exchanges = new ExchangeLog();
    const began = Date.now();
    // Load goes on until the restarts are done and a steady stretch after them, and at least SECONDS.
    let restartsDoneAt: number | null = null;
    const until = () => Math.min(began + HARD_LIMIT_MS, restartsDoneAt === null ? Infinity : Math.max(began + SECONDS * 1000, restartsDoneAt));
    const dashboards = startDashboards(proxy.base, tenant.adminToken, DASHBOARDS);
    const calls = runCallLoad(
      {
        target: { base: proxy.base, domain: tenant.domain, secret: tenant.secret },
        callsPerSecond: CALLS_PER_SECOND,
        until,
        maxCalls: MAX_CALLS,
        maxInFlight: 400,
        mix: { answered: 65, 'no-answer': 5, busy: 10, failover: 12, 'caller-hangup': 8, failed: 0 },
        seed: 19,
        stepPauseMs: [100, 700],
      },
      exchanges,
    );
    const reads = runAdminReads(proxy.base, tenant.adminToken, 2, 250, until, exchanges);

    const restarts: Restart[] = [];
    const windows: Window[] = [];
    const clientCpuBefore = process.cpuUsage();
    await sleep(STEADY_MS);
    for (const instance of instances) {
      const from = Date.now();
      log(`restarting ${instance.name} (${STOP_SIGNAL}) at +${((from - began) / 1000).toFixed(1)} s`);
      const stopped = await instance.stop(30_000, STOP_SIGNAL);
      const exitedAt = Date.now();
      await instance.start();
      const ready = await waitForStatus(`${instance.base}${healthPath}`, 200, 30_000);
      const readyAt = Date.now();
      // The proxy sees it back within one check interval; until then the window is still the restart's.
      await sleep(300);
      windows.push({ from, to: Date.now() + 1000 });
      restarts.push({ name: instance.name, signal: STOP_SIGNAL, exit: stopped, exitMs: exitedAt - from, downMs: readyAt - from, ready });
      log(`  ${instance.name}: exited ${stopped.code ?? stopped.signal} after ${stopped.ms} ms${stopped.forced ? ' (killed)' : ''}, ${healthPath} 200 again after ${readyAt - from} ms`);
      await sleep(STEADY_MS);
    }
    restartsDoneAt = Date.now();
    const played = await calls;
    await reads;
    const ended = Date.now();
    await dashboards.stop();
    const wall = (ended - began) / 1000;
    const cpu = {
      instances: instances.map((i) => i.cpuSeconds()),
      client: (() => {
        const u = process.cpuUsage(clientCpuBefore);
        return (u.user + u.system) / 1e6;
      })(),
      wall,
    };

    log('reading the database back...');
    const agentNumbers = new Map([...tenant.agentIds, third.id].map((id, k) => [`vapi +1212555100${k + 1}`, id]));
    const records = await checkRecords(database.url, tenant.domain, played.calls, (label) => agentNumbers.get(label));
    const report = {
      seconds: wall,
      played,
      exchanges,
      windows,
      restarts,
      records,
      dashboards: dashboards.stats,
      proxy: { stats: proxy.stats, upstreams: proxy.upstreams.map((u) => ({ name: u.name, answered: u.answered, sockets: u.sockets })) },
      agentNumbers,
      cpu,
      problems: instances.map((i) => ({ name: i.name, lines: i.problems(/PUBLIC_URL is unset/) })),
    };
    printReport(report, log);
    const verdict = judge(report);
    for (const line of verdict.lines) log(line);
    if (!verdict.ok) process.exitCode = 1;
  } finally {
    await proxy?.close();
    await Promise.all(instances.map((i) => i.stop(10_000)));
    for (const i of instances) i.dispose();
    await redis.stop();
    await database.drop().catch((err: unknown) => console.error(`could not drop ${database.name}:`, err));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
