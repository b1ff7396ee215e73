/**
 * The embedded store's write path alone: CPU per new routed call (process-wide, so the
 * writer and checkpointer threads count) for group-commit batches of several sizes, through
 * the real store (writer thread, checkpointer, migrations), on a SQLite file.
 *
 *   npx tsx bench/sqlite-write-path.ts [calls per size, default 6000]
 *
 * Each size writes its calls in a fresh database; the CPU includes the close (the writer's
 * last jobs and the final checkpoint), so every page the calls dirtied is paid for.
 * Then the same calls through group commit (services/group-commit.ts) from 50 callers that
 * each pause 0–BENCH_THINK_MS (40) ms between writes (as requests being routed would), with the batch held
 * open under load (HOLD_UNDER_LOAD_MS) and not: the batch sizes it makes and their CPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGroupCommit, HOLD_UNDER_LOAD_MS } from '../src/services/group-commit.js';
import { ROLLUP_COUNTERS, type RollupEntry } from '../src/core/stats/rollup-contribution.js';
import { openStore } from '../src/store/database.js';
import { createRepositories } from '../src/store/index.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { RoutedCallRows } from '../src/store/routed-calls.js';

const CALLS = Number(process.argv[2] ?? 6000);
const SIZES = (process.env.BENCH_BATCHES ?? '1,4,16,64').split(',').map(Number);
/** Each caller's pause between writes is uniform in [0, this) ms: 50 callers at 40 ms make ~2,500 calls/s at most. */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 40);

function routedCall(tenantId: number, n: number, now: number): RoutedCallRows {
  const trace = JSON.stringify({ rule: 3, group: 2, candidates: [{ agent: 1, weight: 50, live: n % 7 }, { agent: 2, weight: 50, live: n % 5 }], chosen: 1 + (n % 2), reason: 'weighted' });
  const counts = Object.fromEntries(ROLLUP_COUNTERS.map((c) => [c, c === 'calls' ? 1 : 0])) as RollupEntry['counts'];
  return {
    record: {
      tenant_id: tenantId, session_token: `bench-${n}-${Math.random().toString(36).slice(2)}`, direction: 'inbound', from_number: '+14155550123', to_number: '+12125550187',
      status: 'connecting', agent_id: 1 + (n % 2), group_id: null, rule_id: null, attempt: 1, decision_trace: trace, disposition: null,
      started_at: now, answered_at: null, ended_at: null, duration_seconds: null, billsec: null, created_at: now, updated_at: now,
      facts: JSON.stringify({ attempts: [{ agent: 1 + (n % 2), at: now }] }), outcome_reason: null, cloudonix_direction: 'incoming', variant: null, is_test: 0,
      // Cast: the column list changes with migrations; the writer takes the columns it knows.
      first_answer: null,
    } as RoutedCallRows['record'],
    events: [
      { event_id: null, event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: now },
      { event_id: null, event_type: 'call.routed', from_status: 'received', to_status: 'routing', payload: trace, occurred_at: now },
      { event_id: null, event_type: 'call.dialing', from_status: 'routing', to_status: 'connecting', payload: '{"agent":1}', occurred_at: now },
    ],
    rollup: [{ tenantId, day: new Date(now).toISOString().slice(0, 10), agentId: 1 + (n % 2), groupId: 0, counts }],
  };
}

type Write = (calls: RoutedCallRows[]) => Promise<unknown>;

/** Writes CALLS calls after a warm-up; `load` decides how they reach the store. */
async function measure(load: (write: Write, tenantId: number, now: number) => Promise<void>): Promise<{ cpuUs: number; wallMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-write-path-'));
  const store = openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  await migrateToLatest(store);
  const repos = createRepositories(store);
  const now = Date.now();
  const tenantId = await repos.tenants.insert({ name: 'T', domain: 't.example', webhook_secret_sealed: 'x', settings: '{}', created_at: now, updated_at: now });
  // Warm-up: statements prepared, worker started.
  for (let i = 0; i < 200; i += 4) await repos.routedCalls.insert(Array.from({ length: 4 }, (_, k) => routedCall(tenantId, -1 - i - k, now)));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await load((calls) => repos.routedCalls.insert(calls), tenantId, now);
  await store.close();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return { cpuUs: (cpu.user + cpu.system) / CALLS, wallMs };
}

const inBatchesOf = (size: number) => async (write: Write, tenantId: number, now: number) => {
  for (let i = 0; i < CALLS; i += size) await write(Array.from({ length: size }, (_, k) => routedCall(tenantId, i + k, now)));
};

/** 50 callers through group commit; counts the batches it made. */
function callers(holdMs: number, batches: number[]) {
  return async (write: Write, tenantId: number, now: number) => {
    const commit = createGroupCommit<RoutedCallRows, unknown>({
      writeBatch: async (calls) => {
        batches.push(calls.length);
        await write([...calls]);
        return calls.map(() => undefined);
      },
      writeOne: (call) => write([call]),
      maxBatch: 200,
      holdMs,
    });
    let next = 0;
    const caller = async () => {
      while (next < CALLS) {
        await new Promise((r) => setTimeout(r, Math.random() * THINK_MS));
        await commit.write(routedCall(tenantId, next++, now));
      }
    };
    await Promise.all(Array.from({ length: 50 }, caller));
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const size of SIZES) {
  const cpu = [];
  for (let r = 0; r < 3; r++) cpu.push((await measure(inBatchesOf(size))).cpuUs);
  console.log(`batch ${String(size).padStart(3)}: CPU µs per call ${cpu.map((c) => c.toFixed(0)).join(' / ')} (median ${median(cpu).toFixed(0)})`);
}
for (let r = 0; r < 2; r++) {
  for (const hold of [0, HOLD_UNDER_LOAD_MS]) {
    const batches: number[] = [];
    const { cpuUs, wallMs } = await measure(callers(hold, batches));
    const perBatch = batches.reduce((a, b) => a + b, 0) / batches.length;
    console.log(`50 callers pausing 0-${THINK_MS} ms, hold ${hold} ms: CPU µs per call ${cpuUs.toFixed(0)}, ${((CALLS / wallMs) * 1000).toFixed(0)} calls/s, ${perBatch.toFixed(1)} calls per commit`);
  }
}
