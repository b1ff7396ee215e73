/**
 * Voice answers while a tenant's daily roll-ups are recomputed from its calls, embedded (SQLite)
 * or scaled (PostgreSQL + Redis, `BENCH_MODE=postgres`). A recompute is the repair path: every 3
 * hours for today and yesterday of the tenants written to, and for every day of a tenant whose
 * time zone changes. It used to hold, while it read the day, SQLite's writer thread (which new
 * calls' commits, and so their voice answers, queue behind) or PostgreSQL's locks on the day's
 * rows (which every call's roll-up add waits for).
 *
 * The built server gets a tenant through the API, then CALLS ended calls of the last ~12 hours
 * written straight into its database. Voice requests at a fixed rate (100/s from 10
 * connections) for 10 s each round, alternately alone and with the tenant's time zone changed 2 s
 * in (which recomputes each of its days): the answers' p50, p99 and slowest, same run; then
 * whether the roll-ups count every call stored, once (exit 1 when not).
 *
 *   [BENCH_MODE=postgres] npx tsx bench/recompute-stall.ts [calls, default 300000] [rounds, default 2]
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { withBenchRedis } from './support/backing-servers.js';
import { voiceLoadOptions } from './support/load.js';
import { createPostgresDatabase } from './support/postgres-database.js';
import { buildServer, startService } from './support/processes.js';
import { createBenchTenant, type BenchTenant } from './support/tenant-setup.js';
import { loadAverage, log } from './support/webhook-report.js';

const CALLS = Number(process.argv[2] ?? 300_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const ZONES = ['America/New_York', 'Europe/Berlin'];

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://vlb_test:vlb_test@127.0.0.1:5432/postgres';
const MODE = process.env.BENCH_MODE === 'postgres' ? 'postgres' : 'sqlite';

/** A seeded call's decision trace, as the routing path leaves a call it sent to the group's first agent. */
const traceOf = (t: BenchTenant) =>
  JSON.stringify({
    direction: 'inbound', matched_rule: { id: 1, kind: 'inbound', name: null, pattern: '*' }, target: { type: 'group', id: t.groupId }, strategy: 'round_robin',
    group_id: t.groupId, rotation_counter: 7, candidates: t.agentIds, skipped: [], chosen_agent_id: t.agentIds[0], attempts: [],
    settings: { max_attempts: 3, fallback_enabled: true, failover_on_busy: false }, outbound: null, fallback: null,
  });

/** The service's database as the bench reaches it: the tenant's calls written, and its calls counted two ways. */
interface Backend {
  env: Record<string, string>;
  /** The tenant's ended calls, spread over the 12 hours before `now`, as the routing path leaves them. */
  seed(t: BenchTenant, now: number): Promise<void>;
  /** The tenant's calls stored (test calls left out), and the calls its roll-up rows count. */
  counts(domain: string): Promise<{ calls: number; rolled: number }>;
}

function sqliteBackend(dataDir: string): Backend {
  const file = join(dataDir, 'voice-lb.sqlite');
  return {
    env: { DATA_DIR: dataDir },
    seed: async (t, now) => seedSqlite(file, t, now),
    async counts(domain) {
      const db = new Database(file, { readonly: true });
      try {
        const tenantId = (db.prepare('select id from tenants where domain = ?').get(domain) as { id: number }).id;
        const calls = (db.prepare('select count(*) as n from call_records where tenant_id = ? and is_test = 0').get(tenantId) as { n: number }).n;
        const rolled = (db.prepare('select coalesce(sum(calls), 0) as n from call_daily_rollups where tenant_id = ?').get(tenantId) as { n: number }).n;
        return { calls, rolled };
      } finally {
        db.close();
      }
    },
  };
}

function postgresBackend(dataDir: string, databaseUrl: string, redisUrl: string): Backend {
  const query = async <R>(text: string, values: unknown[]): Promise<R[]> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as R[];
    } finally {
      await client.end();
    }
  };
  const tenantOf = async (domain: string) => Number((await query<{ id: number }>('select id from tenants where domain = $1', [domain]))[0]!.id);
  return {
    env: { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, APP_KEY: randomBytes(32).toString('hex') },
    async seed(t, now) {
      await query(
        `insert into call_records (tenant_id, session_token, direction, from_number, to_number, status, agent_id, group_id, rule_id, attempt, decision_trace, disposition,
           started_at, answered_at, ended_at, duration_seconds, billsec, created_at, updated_at, facts, outcome_reason, cloudonix_direction, variant, is_test, first_answer)
         select $1, 'recompute-stall-' || n, 'inbound', '+12125550001', '+12125550100', 'completed', ($2::int[])[n % cardinality($2::int[]) + 1], $3, null, 1, $4::jsonb, 'ANSWER',
           at, at + 1000, at + 60000, 60, 59, at, at, null, 'answered', 'inbound', null, 0, null
         from (select n, $5::bigint - 3600000 - floor(n * 40000000.0 / $6)::bigint as at from generate_series(0, $6 - 1) as n) as s`,
        [await tenantOf(t.domain), t.agentIds, t.groupId, traceOf(t), now, CALLS],
      );
      await query('analyze call_records', []);
    },
    async counts(domain) {
      const tenantId = await tenantOf(domain);
      const [c] = await query<{ calls: number; rolled: number }>(
        'select (select count(*) from call_records where tenant_id = $1 and is_test = 0)::int as calls, (select coalesce(sum(calls), 0) from call_daily_rollups where tenant_id = $1)::int as rolled',
        [tenantId],
      );
      return { calls: Number(c!.calls), rolled: Number(c!.rolled) };
    },
  };
}

/** The tenant's ended calls, spread over the 12 hours before the last one, as the routing path leaves them. */
function seedSqlite(file: string, t: BenchTenant, now: number): void {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    const tenantId = (db.prepare('select id from tenants where domain = ?').get(t.domain) as { id: number }).id;
    const trace = traceOf(t);
    const insert = db.prepare(
      `insert into call_records (tenant_id, session_token, direction, from_number, to_number, status, agent_id, group_id, rule_id, attempt, decision_trace, disposition,
        started_at, answered_at, ended_at, duration_seconds, billsec, created_at, updated_at, facts, outcome_reason, cloudonix_direction, variant, is_test, first_answer)
       values (?, ?, 'inbound', '+12125550001', '+12125550100', 'completed', ?, ?, null, 1, ?, 'ANSWER', ?, ?, ?, 60, 59, ?, ?, null, 'answered', 'inbound', null, 0, null)`,
    );
    const some = db.transaction((from: number, to: number) => {
      for (let n = from; n < to; n++) {
        const at = now - 3_600_000 - Math.floor((n * 40_000_000) / CALLS);
        insert.run(tenantId, `recompute-stall-${n}`, t.agentIds[n % t.agentIds.length], t.groupId, trace, at, at + 1000, at + 60_000, at, at);
      }
    });
    for (let i = 0; i < CALLS; i += 10_000) some(i, Math.min(CALLS, i + 10_000));
  } finally {
    db.close();
  }
}

/**
 * Whether the tenant's roll-ups count every call once the recompute is through (within 60 s):
 * calls were written while it read, and each must be counted, none twice. Exits 1 when not.
 */
async function rolledUpMatches(backend: Backend, domain: string): Promise<string> {
  const until = Date.now() + 60_000;
  let c = await backend.counts(domain);
  while (c.calls !== c.rolled && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    c = await backend.counts(domain);
  }
  if (c.calls !== c.rolled) process.exitCode = 1;
  return `roll-ups after it: ${c.rolled} calls counted of ${c.calls} stored${c.calls === c.rolled ? '' : ' (WRONG)'}`;
}

async function run(backend: Backend): Promise<void> {
  const server = await startService('service', Object.assign({ LOG_LEVEL: 'warn' }, backend.env));
  try {
    const t = await createBenchTenant(server.base);
    await backend.seed(t, Date.now());
    const spec = { domain: t.domain, secret: t.secret, seconds: 10, connections: 10, rate: 100 };
    // Warm-up, unmeasured.
    await autocannon(voiceLoadOptions(server, { ...spec, seconds: 3 }, 3));
    for (let round = 0; round < ROUNDS * 2; round += 1) {
      const recompute = round % 2 === 1;
      const load = autocannon(voiceLoadOptions(server, spec, spec.seconds));
      let changed = '';
      if (recompute) {
        await new Promise((r) => setTimeout(r, 2000));
        const zone = ZONES[Math.floor(round / 2) % ZONES.length];
        const res = await fetch(`${server.base}/api/tenant`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.adminToken}` }, body: JSON.stringify({ settings: { timezone: zone } }) });
        changed = ` (time zone set to ${zone} 2 s in: ${res.status})`;
      }
      const r = await load;
      log(`  ${recompute ? 'recompute' : 'alone    '}: ${r['2xx']} answered, ${r.non2xx + r.errors} not; p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, slowest ${r.latency.max} ms${changed}`);
      if (recompute) log(`    ${await rolledUpMatches(backend, t.domain)}`);
    }
    const problems = server.problems();
    if (problems.count > 0) log(`the server logged ${problems.count} warnings/errors; the first: ${problems.first}`);
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  log(`recompute-stall (${MODE}): ${new Date().toISOString()}, Node ${process.version}; ${CALLS} calls of the tenant, ${ROUNDS} rounds; load average ${loadAverage()}`);
  buildServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-recompute-'));
  try {
    if (MODE === 'sqlite') return await run(sqliteBackend(dataDir));
    const database = await createPostgresDatabase(POSTGRES_URL, 'bench_stall');
    try {
      await withBenchRedis(process.env.BENCH_REDIS_URL, (redis) => run(postgresBackend(dataDir, database.url, redis.url)));
    } finally {
      await database.drop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
