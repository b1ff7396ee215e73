// bench/rollups: the daily roll-up's work per call on a quiet day and a busy one (issue 23: "roll-up cost
// per call the same at 10k and 1M calls a day"). Seeds today with --small and then --large calls (SQLite,
// the embedded store, through the real runtime), then times, on each day, --calls new routed calls and
// their CDRs through the call recorder (each write adds its change to its day's row in its own
// transaction), the roll-up statement alone per call, and for contrast the full recompute of the day (now
// the repair path only). Usage: npm run bench:rollups [-- --small 10000 --large 200000 --calls 2000]
// [--postgres <admin URL>: a fresh PostgreSQL database there instead; CPU is then this process's only]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openRuntime } from '../src/cli/runtime.js';
import { parseConfig } from '../src/core/config.js';
import { rollupDelta } from '../src/core/stats/rollup-contribution.js';
import { localDayRange } from '../src/core/time/local-day.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/services/logger.js';
import { seedCalls } from '../src/services/seeding/seed-calls.js';
import { createPostgresDatabase } from './support/postgres-database.js';

const { values } = parseArgs({ options: { small: { type: 'string', default: '10000' }, large: { type: 'string', default: '200000' }, calls: { type: 'string', default: '2000' }, postgres: { type: 'string' } } });
const sizes = [Number(values.small), Number(values.large)];
const perDay = Number(values.calls);
const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-rollups-'));
const pgDatabase = values.postgres ? await createPostgresDatabase(values.postgres, 'rollups') : undefined;
const config = parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOGIN_MAX_ATTEMPTS: '1000', SIGNUP: 'open', ...(pgDatabase ? { DATABASE_URL: pgDatabase.url, APP_KEY: randomBytes(32).toString('hex') } : {}) });
const logger = createLogger('warn');
const runtime = await openRuntime(config, logger, { migrate: true });
const app = await buildApp({ config: runtime.config, services: runtime.services, logger });
await app.ready();
const { recorder } = runtime.services.routing;
const { callRollups } = runtime.services.repos;
const db = runtime.store.db;

const today = new Date().toISOString().slice(0, 10);
const { start: dayStart, end: dayEnd } = localDayRange(today, 'UTC');

/** CPU (this process, all threads: the SQLite writer too) and wall time of `work`, per unit. */
async function measure(units: number, work: () => Promise<void>): Promise<{ cpuUs: number; wallUs: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const cpu = process.cpuUsage(cpu0);
  return { cpuUs: (cpu.user + cpu.system) / units, wallUs: ((performance.now() - t0) * 1000) / units };
}

interface DayResult {
  dayCalls: number;
  routed: { cpuUs: number; wallUs: number };
  cdr: { cpuUs: number; wallUs: number };
  rollupStatement: { cpuUs: number; wallUs: number };
  recomputeMs: number;
  rowsMatch: boolean;
}

/** A tenant whose today holds `calls` seeded calls. */
async function seedDay(label: string, calls: number): Promise<{ tenantId: number; agentId: number }> {
  const s = randomBytes(3).toString('hex');
  const reg = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { name: label, email: `${label}-${s}@bench.test`, password: 'bench-password', password_confirmation: 'bench-password', tenant_name: label, domain: `${label}-${s}.bench.test` } });
  const tenantId = (reg.json() as { user: { tenant_id: number } }).user.tenant_id;
  const started = performance.now();
  // Every seeded call starts today (UTC, the tenant's zone): the day holds `calls` before the timed writes.
  await seedCalls({ store: runtime.store, rollups: runtime.services.rollups, clock: () => dayEnd - 1 }, tenantId, calls, { days: 1, seed: 23 });
  console.log(`${label}: seeded ${calls.toLocaleString('en')} calls into today in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const agent = await db.selectFrom('voice_agents').select('id').where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
  const agentId = Number(agent.id);
  return { tenantId, agentId };
}

/** The timed writes on one seeded day (all days are seeded first, so the database's after-work of seeding touches each alike). */
async function day({ tenantId, agentId }: { tenantId: number; agentId: number }): Promise<DayResult> {
  const sessions = Array.from({ length: perDay }, () => randomBytes(16).toString('hex'));
  const trace = JSON.stringify({ fallback: null, skipped: [] });
  // New routed calls, a few at a time as webhooks arrive (group commit), each adding itself to its row.
  const routed = await measure(perDay, async () => {
    for (let i = 0; i < perDay; i += 8) {
      await Promise.all(
        sessions.slice(i, i + 8).map((token) =>
          recorder.createRouted(tenantId, { sessionToken: token, direction: 'inbound', from: '+14155550123', to: '+12125550187' }, [
            { eventType: 'call.routed', event: { kind: 'answer', step: 0, at: Date.now(), act: 'dial', attempt: 1, agentId, fallback: null }, fields: { decision_trace: trace } },
          ]),
        ),
      );
    }
  });
  // Their CDRs: answered with billed seconds, each moving its call between counters.
  const cdr = await measure(perDay, async () => {
    for (const [i, token] of sessions.entries()) {
      await recorder.record(tenantId, { sessionToken: token, direction: 'inbound', from: null, to: null }, [
        { eventType: 'cdr', event: { kind: 'cdr', disposition: 'ANSWER', billsec: 10 + (i % 50), durationSeconds: 12 + (i % 50), startedAt: null, answeredAt: null, endedAt: null } },
      ]);
    }
  });
  // The roll-up's own work per call (the delta and the statement the recorder adds to each write's
  // transaction), a hundred to a transaction so the commit, which the call write pays anyway, is left out.
  const sample = { status: 'completed', duration_seconds: 30, agent_id: agentId, group_id: null, is_test: 0, decision_trace: trace };
  const rollupStatement = await measure(perDay, async () => {
    for (let i = 0; i < perDay; i += 100) {
      await db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(perDay, i + 100); j++) {
          const entries = rollupDelta(tenantId, { call: { ...sample, status: 'ringing' }, day: today }, { call: sample, day: today });
          await callRollups.addEntries(entries, Date.now(), trx);
        }
      });
    }
  });
  // Undo the statement-alone sample, then compare the kept rows with a full recompute (the repair path, timed).
  const undo = rollupDelta(tenantId, { call: sample, day: today }, { call: { ...sample, status: 'ringing' }, day: today }).map((e) => ({ ...e, counts: Object.fromEntries(Object.entries(e.counts).map(([k, v]) => [k, v * perDay])) as typeof e.counts }));
  await callRollups.addEntries(undo, Date.now());
  const kept = await callRollups.inRange(tenantId, today, today);
  const t0 = performance.now();
  await callRollups.recomputeDay(tenantId, today, dayStart, dayEnd, Date.now());
  const recomputeMs = performance.now() - t0;
  const fresh = await callRollups.inRange(tenantId, today, today);
  const key = (r: (typeof kept)[number]) => `${r.agent_id}|${r.group_id}|${r.calls}|${r.answered}|${r.failed}|${r.duration_sum}|${r.duration_count}`;
  const nonZero = (rows: typeof kept) => rows.filter((r) => Number(r.calls) !== 0).map(key).sort();
  const dayCalls = Number((await db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).where('started_at', '>=', dayStart).where('started_at', '<', dayEnd).executeTakeFirstOrThrow()).n);
  return { dayCalls, routed, cdr, rollupStatement, recomputeMs, rowsMatch: JSON.stringify(nonZero(kept)) === JSON.stringify(nonZero(fresh)) };
}

try {
  // A small day first, thrown away: the JIT and the statement caches warm up before anything is timed.
  const days = [await seedDay('warmup', 1000)];
  for (const [i, size] of sizes.entries()) days.push(await seedDay(i === 0 ? 'quiet' : 'busy', size));
  await day(days[0]!);
  const results: DayResult[] = [];
  for (const d of days.slice(1)) results.push(await day(d));
  // The quiet day once more, after the busy one: how far apart two runs of the same day land on this host.
  const again = await day(days[1]!);
  console.log(`quiet day timed again after the busy one: roll-up statement ${again.rollupStatement.cpuUs.toFixed(1)} µs CPU, ${again.rollupStatement.wallUs.toFixed(1)} µs wall; CDR write ${again.cdr.cpuUs.toFixed(1)} µs CPU`);
  const f = (n: number) => n.toFixed(1);
  console.log(`\nroll-up work per call, today holding ${results.map((r) => r.dayCalls.toLocaleString('en')).join(' vs ')} calls (${perDay} timed writes each):`);
  console.log('| | ' + results.map((r) => `${r.dayCalls.toLocaleString('en')} calls`).join(' | ') + ' | ratio |');
  console.log('|---|' + results.map(() => '---|').join('') + '---|');
  const row = (name: string, pick: (r: DayResult) => number, unit: string) => console.log(`| ${name} | ${results.map((r) => `${f(pick(r))} ${unit}`).join(' | ')} | ×${(pick(results[1]!) / pick(results[0]!)).toFixed(2)} |`);
  row('roll-up delta + statement alone, CPU/call', (r) => r.rollupStatement.cpuUs, 'µs');
  row('roll-up delta + statement alone, wall/call', (r) => r.rollupStatement.wallUs, 'µs');
  row('new routed call (with its roll-up), CPU/call', (r) => r.routed.cpuUs, 'µs');
  row('CDR write (with its roll-up), CPU/call', (r) => r.cdr.cpuUs, 'µs');
  row('full recompute of the day (repair path only)', (r) => r.recomputeMs, 'ms');
  console.log(`kept rows equal a full recompute: ${results.map((r) => (r.rowsMatch ? 'yes' : 'NO')).join(', ')}`);
} finally {
  await app.close();
  await runtime.close();
  await pgDatabase?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
