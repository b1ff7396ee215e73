/**
 * A Redis outage under load, against the real server (`node dist/cli/main.js serve`,
 * MariaDB + a redis-server of this script's own on 127.0.0.1): voice requests as fast
 * as the server answers them for BENCH_SECONDS with Redis up, BENCH_OUTAGE_SECONDS with
 * it stopped (SIGKILL), then with it started again (empty, as after a crash). Every answer
 * is read: dialled an agent, or the fallback. An admin reads GET /api/voice-agents all
 * along. Afterwards: call records expected and found, the server's warning and error
 * lines, and how long after Redis answered again the server said it was back.
 *
 *   npm run bench:redis-outage
 *   BENCH_OUTAGE_SECONDS=30 npm run bench:redis-outage
 *
 * Env: BENCH_SECONDS (5), BENCH_OUTAGE_SECONDS (10), BENCH_CONNECTIONS (32), BENCH_MYSQL_URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { loadavg } from 'node:os';
import { openStore } from '../src/store/database.js';
import { buildServer, freePort, startService } from './support/processes.js';
import { withScaledBackends } from './support/scaled-backends.js';
import { createBenchTenant } from './support/tenant-setup.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const OUTAGE_SECONDS = Number(process.env.BENCH_OUTAGE_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://vlb_test:vlb_test@127.0.0.1:3306/vlbt_bench_outage';

type Phase = 'before' | 'outage' | 'after';
interface Tally {
  sent: number;
  dialled: number;
  fallback: number;
  failed: number;
}
const tally: Record<Phase, Tally> = { before: { sent: 0, dialled: 0, fallback: 0, failed: 0 }, outage: { sent: 0, dialled: 0, fallback: 0, failed: 0 }, after: { sent: 0, dialled: 0, fallback: 0, failed: 0 } };
const admin = { ok: 0, failed: 0 };

/** A redis-server on a spare port that this script may stop and start. */
async function privateRedis() {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if (await fetch(`http://127.0.0.1:${port}`).then(() => true, (err: { cause?: { code?: string } }) => err.cause?.code !== 'ECONNREFUSED')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  await start();
  return { url: `redis://127.0.0.1:${port}/0`, start, stop };
}

async function main(): Promise<void> {
  buildServer();
  const redis = await privateRedis();
  try {
    await withScaledBackends(MYSQL_URL, redis.url, async (env) => {
      const server = await startService('service', { ...env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info' });
      try {
        const tenant = await createBenchTenant(server.base);
        const voiceUrl = `${server.base}/api/voice/application/${tenant.domain}`;
        const problemsBefore = server.problems().count;
        let phase: Phase = 'before';
        let running = true;
        const sessions = new Set<string>();

        const caller = async () => {
          while (running) {
            const current = phase;
            const session = randomBytes(16).toString('hex');
            tally[current].sent += 1;
            try {
              const res = await fetch(voiceUrl, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.secret}` },
                body: JSON.stringify({ CallSid: session, Session: session, From: '+14155550123', To: '+12125550187', Direction: 'inbound', Domain: tenant.domain }),
              });
              const body = await res.text();
              if (res.status !== 200 || !body.startsWith('<?xml')) tally[current].failed += 1;
              else if (body.includes('<Service')) {
                tally[current].dialled += 1;
                sessions.add(session);
              } else tally[current].fallback += 1;
            } catch {
              tally[current].failed += 1;
            }
          }
        };
        const reader = async () => {
          while (running) {
            const res = await fetch(`${server.base}/api/voice-agents`, { headers: { authorization: `Bearer ${tenant.adminToken}` } }).catch(() => null);
            if (res?.status === 200) admin.ok += 1;
            else admin.failed += 1;
            await res?.arrayBuffer();
            await new Promise((r) => setTimeout(r, 200));
          }
        };
        const load = Promise.all([...Array.from({ length: CONNECTIONS }, caller), reader()]);

        await new Promise((r) => setTimeout(r, SECONDS * 1000));
        await redis.stop();
        phase = 'outage';
        await new Promise((r) => setTimeout(r, OUTAGE_SECONDS * 1000));
        await redis.start();
        const answeredAgainAt = Date.now();
        phase = 'after';
        let backAfterMs: number | null = null;
        while (backAfterMs === null && Date.now() - answeredAgainAt < 30_000) {
          const health = await fetch(`${server.base}/health`).then((r) => r.json() as Promise<{ status: string }>);
          if (health.status === 'ok') backAfterMs = Date.now() - answeredAgainAt;
          else await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, SECONDS * 1000));
        running = false;
        await load;
        await new Promise((r) => setTimeout(r, 2000));

        const store = openStore(env.DATABASE_URL!);
        const rows = await store.db.selectFrom('call_records').select('session_token').execute();
        await store.close();
        const counts = new Map<string, number>();
        for (const r of rows) counts.set(r.session_token, (counts.get(r.session_token) ?? 0) + 1);
        const foundOnce = [...sessions].filter((s) => counts.get(s) === 1).length;
        const problems = server.problems();
        // The server's own account of the recovery (its stdout is a file: found through /proc, as cpuSeconds reads it).
        const said = readFileSync(readlinkSync(`/proc/${server.pid}/fd/1`), 'utf8')
          .split('\n')
          .filter((l) => /Redis is back|slots rebuilt/.test(l))
          .map((l) => {
            const { msg, ...rest } = JSON.parse(l) as Record<string, unknown>;
            for (const k of ['level', 'time', 'pid', 'hostname']) delete rest[k];
            return { msg, ...rest };
          });
        const result = {
          load_average: loadavg().map((l) => l.toFixed(2)).join(' '),
          connections: CONNECTIONS,
          seconds: { before: SECONDS, outage: OUTAGE_SECONDS, after: SECONDS },
          voice: tally,
          admin_reads: admin,
          records: { expected: sessions.size, found_once: foundOnce, rows: rows.length },
          health_ok_after_redis_answered_ms: backAfterMs,
          server_said: said,
          warn_error_lines: problems.count - problemsBefore,
          first_problem: problems.first,
        };
        console.log(JSON.stringify(result, null, 2));
      } finally {
        await server.stop();
      }
    });
  } finally {
    await redis.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
