/**
 * The embedded store's write path alone: CPU per new routed call (process-wide, so the
 * writer and checkpointer threads count) for group-commit batches of several sizes, through
 * the real store (writer thread, checkpointer, migrations), on a SQLite file.
 *
 *   npx tsx bench/sqlite-write-path.ts [calls per size, default 6000]
 *
 * Each size writes its calls in a fresh database; the CPU includes the close (the writer's
 * last jobs and the final checkpoint), so every page the calls dirtied is paid for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROLLUP_COUNTERS, type RollupEntry } from '../src/core/stats/rollup-contribution.js';
import { openStore } from '../src/store/database.js';
import { createRepositories } from '../src/store/index.js';
import { migrateToLatest } from '../src/store/migrate.js';
import type { RoutedCallRows } from '../src/store/routed-calls.js';

const CALLS = Number(process.argv[2] ?? 6000);
const SIZES = (process.env.BENCH_BATCHES ?? '1,4,16,64').split(',').map(Number);

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

async function measure(batch: number): Promise<{ cpuUs: number; wallMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-write-path-'));
  const store = openStore(`sqlite:${join(dir, 'db.sqlite')}`);
  await migrateToLatest(store);
  const repos = createRepositories(store);
  const now = Date.now();
  const tenantId = await repos.tenants.insert({ name: 'T', domain: 't.example', webhook_secret_sealed: 'x', settings: '{}', created_at: now, updated_at: now });
  // Warm-up: statements prepared, worker started.
  for (let i = 0; i < 200; i += batch) await repos.routedCalls.insert(Array.from({ length: batch }, (_, k) => routedCall(tenantId, -1 - i - k, now)));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < CALLS; i += batch) await repos.routedCalls.insert(Array.from({ length: batch }, (_, k) => routedCall(tenantId, i + k, now)));
  await store.close();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  rmSync(dir, { recursive: true, force: true });
  return { cpuUs: (cpu.user + cpu.system) / CALLS, wallMs };
}

for (const size of SIZES) {
  const runs = [];
  for (let r = 0; r < 3; r++) runs.push(await measure(size));
  const cpu = runs.map((r) => r.cpuUs).sort((a, b) => a - b);
  console.log(`batch ${String(size).padStart(3)}: CPU µs per call ${cpu.map((c) => c.toFixed(0)).join(' / ')} (median ${cpu[1]!.toFixed(0)})`);
}
