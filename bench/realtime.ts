/**
 * Real-time latency and memory: how long after a voice webhook is sent does every open
 * dashboard hear its call.started, with 1, 100 and 1,000 dashboards connected, and what
 * does one open socket cost the server. Measured against a bare node:http + ws server
 * that broadcasts a frame of the same size on each POST, in the same run.
 *
 *   npm run bench:realtime                 # embedded (one instance), then scaled (webhook to A, dashboards on B)
 *   BENCH_ONLY=embedded BENCH_WEBHOOKS=50 npm run bench:realtime
 *
 * Env: BENCH_WEBHOOKS (200 per client count), BENCH_CLIENTS (1,100,1000), BENCH_ONLY=embedded|scaled,
 * BENCH_MYSQL_URL (a vlbt_* database, dropped and created), BENCH_REDIS_URL (db 14 by default, flushed).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { newCall, voiceRequest } from '../src/cli/simulate-payloads.js';
import { buildServer, freePort, startProcess, startService, type ServerProcess } from './support/processes.js';
import { withScaledBackends } from './support/scaled-backends.js';
import { createBenchTenant } from './support/tenant-setup.js';

const WEBHOOKS = Number(process.env.BENCH_WEBHOOKS ?? 200);
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? '1,100,1000').split(',').map(Number);
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://vlb_test:vlb_test@127.0.0.1:3306/vlbt_bench_realtime';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/14';
/** Sockets opened at once while connecting; more makes the connect phase a load test of its own. */
const CONNECT_BATCH = 50;
const WAIT_MS = 10_000;

const log = (line: string) => console.log(line);
const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ');

/** Something that answers a webhook-like POST and pushes a frame naming its session to every socket. */
interface Target {
  name: string;
  /** Where sockets connect (query included). */
  wsUrl: string;
  /** The process holding the sockets (memory is read from it). */
  socketPid: number;
  /** Sends the trigger for `session`; resolves when it is answered. */
  fire(session: string): Promise<void>;
}

interface Row {
  mode: string;
  target: string;
  clients: number;
  p50: number;
  p99: number;
  max: number;
  answerP50: number;
  lost: number;
  kibPerSocket: number | null;
}

function rssKiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? 0);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/** Per session: when its trigger was sent and how many sockets have yet to hear it. */
interface Pending {
  t0: number;
  remaining: number;
  done: () => void;
}

async function connect(url: string, n: number, onCallStarted: (session: string, at: number) => void): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < n; i += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, () => {
      const ws = new WebSocket(url);
      sockets.push(ws);
      return new Promise<void>((resolve, reject) => {
        ws.on('message', (data) => {
          const at = performance.now();
          const text = String(data);
          if (text.includes('"event":"ready"')) return resolve();
          if (!text.includes('"event":"call.started"')) return;
          const session = /"session_token":"([0-9a-f]+)"/.exec(text)?.[1];
          if (session) onCallStarted(session, at);
        });
        ws.once('error', reject);
        ws.once('close', (code, reason) => reject(new Error(`socket closed before ready: ${code} ${String(reason)}`)));
      });
    });
    await Promise.all(batch);
  }
  return sockets;
}

async function closeAll(sockets: WebSocket[]): Promise<void> {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close();
        }),
    ),
  );
}

async function measure(mode: string, target: Target, clients: number): Promise<Row> {
  const pending = new Map<string, Pending>();
  const latencies: number[] = [];
  const answers: number[] = [];
  const heard = (session: string, at: number) => {
    const p = pending.get(session);
    if (!p) return;
    latencies.push(at - p.t0);
    p.remaining -= 1;
    if (p.remaining === 0) p.done();
  };
  const before = rssKiB(target.socketPid);
  const sockets = await connect(target.wsUrl, clients, heard);
  // Give the server a moment to settle what connecting allocated before reading its memory.
  await new Promise((r) => setTimeout(r, 500));
  const after = rssKiB(target.socketPid);
  let lost = 0;
  const one = async (record: boolean) => {
    const session = randomBytes(16).toString('hex');
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const t0 = performance.now();
    pending.set(session, { t0, remaining: clients, done });
    await target.fire(session);
    const answered = performance.now() - t0;
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), WAIT_MS).unref());
    if ((await Promise.race([all, timeout])) === 'timeout') lost += pending.get(session)!.remaining;
    pending.delete(session);
    if (record) answers.push(answered);
  };
  for (let i = 0; i < 20; i++) await one(false);
  latencies.length = 0;
  lost = 0;
  for (let i = 0; i < WEBHOOKS; i++) await one(true);
  await closeAll(sockets);
  latencies.sort((a, b) => a - b);
  answers.sort((a, b) => a - b);
  return {
    mode,
    target: target.name,
    clients,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    answerP50: percentile(answers, 50),
    lost,
    kibPerSocket: clients >= 100 ? (after - before) / clients : null,
  };
}

function show(r: Row): void {
  log(
    `  ${r.target.padEnd(26)} ${String(r.clients).padStart(5)} sockets: p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  max ${r.max.toFixed(1)} ms  ` +
      `(answer p50 ${r.answerP50.toFixed(1)} ms)  lost ${r.lost}${r.kibPerSocket === null ? '' : `  ${r.kibPerSocket.toFixed(1)} KiB RSS per socket`}`,
  );
}

async function startBareWs(): Promise<{ process: ServerProcess; target: Target }> {
  const port = await freePort();
  const script = fileURLToPath(new URL('./support/bare-ws-server.ts', import.meta.url));
  const proc = await startProcess('bare node:http + ws', ['--import', 'tsx', script], { BARE_PORT: String(port), BARE_FRAME_BYTES: '520' }, port, '/');
  return {
    process: proc,
    target: {
      name: proc.name,
      wsUrl: `ws://127.0.0.1:${port}/`,
      socketPid: proc.pid,
      async fire(session) {
        const res = await fetch(`${proc.base}/fire`, { method: 'POST', body: JSON.stringify({ session }) });
        await res.arrayBuffer();
      },
    },
  };
}

/** The service as a target: webhooks go to `hook`, sockets to `sockets` (the same process when embedded). */
async function serviceTarget(name: string, hook: ServerProcess, sockets: ServerProcess): Promise<Target> {
  const tenant = await createBenchTenant(hook.base);
  const url = `${hook.base}/api/voice/application/${encodeURIComponent(tenant.domain)}`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${tenant.secret}` };
  return {
    name,
    wsUrl: `${sockets.base.replace('http', 'ws')}/ws?token=${encodeURIComponent(tenant.adminToken)}`,
    socketPid: sockets.pid,
    async fire(session) {
      const body = JSON.stringify(voiceRequest(newCall(tenant.domain, '+14155550123', '+12125550187', session)));
      const res = await fetch(url, { method: 'POST', headers, body });
      const text = await res.text();
      if (!res.ok || !text.includes('<Service')) throw new Error(`webhook not routed: ${res.status} ${text.slice(0, 200)}`);
    },
  };
}

async function runAll(mode: string, targets: Target[]): Promise<Row[]> {
  log(`\n== ${mode} == (load average ${loadAverage()})`);
  const rows: Row[] = [];
  for (const clients of CLIENT_COUNTS) {
    for (const target of targets) {
      const row = await measure(mode, target, clients);
      show(row);
      rows.push(row);
    }
  }
  return rows;
}

async function embedded(): Promise<Row[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-rt-'));
  const bare = await startBareWs();
  // Every benchmark socket comes from 127.0.0.1: lift the per-address connect limit.
  const service = await startService('service', { DATA_DIR: dataDir, LOG_LEVEL: 'warn', REALTIME_CONNECTS_PER_MINUTE: '1000000' });
  try {
    const rows = await runAll('embedded: SQLite + memory plane, one instance', [bare.target, await serviceTarget('service', service, service)]);
    const problems = service.problems();
    if (problems.count > 0) log(`  the service logged ${problems.count} warnings/errors; the first: ${problems.first}`);
    return rows;
  } finally {
    await service.stop();
    await bare.process.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function scaled(): Promise<Row[]> {
  return withScaledBackends(MYSQL_URL, REDIS_URL, async (backends) => {
    // Every benchmark socket comes from 127.0.0.1: lift the per-address connect limit.
    const env = { ...backends, LOG_LEVEL: 'warn', REALTIME_CONNECTS_PER_MINUTE: '1000000' };
    const bare = await startBareWs();
    const a = await startService('instance A', env);
    const b = await startService('instance B', env);
    try {
      const rows = await runAll('scaled: MariaDB + Redis, webhook to instance A, sockets on instance B', [bare.target, await serviceTarget('service (A → B)', a, b)]);
      for (const s of [a, b]) {
        const problems = s.problems();
        if (problems.count > 0) log(`  ${s.name} logged ${problems.count} warnings/errors; the first: ${problems.first}`);
      }
      return rows;
    } finally {
      await Promise.all([a.stop(), b.stop(), bare.process.stop()]);
    }
  });
}

function summary(rows: Row[]): void {
  log('\n| mode | server | sockets | p50 ms | p99 ms | max ms | webhook answer p50 ms | lost | RSS KiB/socket |');
  log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    log(
      `| ${r.mode.split(':')[0]} | ${r.target} | ${r.clients} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.answerP50.toFixed(1)} | ${r.lost} | ` +
        `${r.kibPerSocket === null ? '–' : r.kibPerSocket.toFixed(1)} |`,
    );
  }
  log('');
  for (const r of rows.filter((x) => !x.target.startsWith('bare'))) {
    const bare = rows.find((x) => x.mode === r.mode && x.clients === r.clients && x.target.startsWith('bare'));
    log(
      `${r.mode.split(':')[0]}, ${r.clients} sockets: p99 ${r.p99.toFixed(1)} ms (goal < 50 ms: ${r.p99 < 50 ? 'met' : 'MISSED'})` +
        `${bare ? `, ×${(r.p99 / Math.max(bare.p99, 0.001)).toFixed(1)} the bare broadcast's p99` : ''}`,
    );
  }
  log(`load average at the end: ${loadAverage()}`);
}

async function main(): Promise<void> {
  log(`real-time benchmark: ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${WEBHOOKS} webhooks per socket count`);
  log('building the server (npm run build:server)…');
  buildServer();
  const only = process.env.BENCH_ONLY;
  const rows: Row[] = [];
  if (only !== 'scaled') rows.push(...(await embedded()));
  if (only !== 'embedded') rows.push(...(await scaled()));
  summary(rows);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
