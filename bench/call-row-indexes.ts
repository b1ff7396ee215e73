// bench/call-row-indexes: what each index of call_records costs a call's row on SQLite (issue 23). For the full
// set and for the set without each secondary index in turn (the session's unique index is kept: inserts need
// it), a fresh database file gets SEED rows (not timed), then ROWS calls are written as a routed call's row is:
// inserted live, in group-commit batches of 50, then ended (status, duration, end time) by id, 50 per transaction.
// Prints CPU per call (both steps, process-wide) and wall time; compare within one run.
// Usage: npx tsx bench/call-row-indexes.ts [--seed 200000] [--rows 20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Insertable } from 'kysely';
import { openStore } from '../src/store/database.js';
import { writeJson } from '../src/store/json-column.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { dropIndex } from '../src/store/migrations/column-types.js';
import type { CallRecordsTable } from '../src/store/schema.js';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '200000' }, rows: { type: 'string', default: '20000' } } });
const SEED = Number(values.seed);
const ROWS = Number(values.rows);
const BATCH = 50;
const DROPPABLE = ['tenant_started_duration_idx', 'tenant_status_idx', 'tenant_agent_idx', 'tenant_group_idx', 'tenant_direction_idx', 'tenant_duration_idx', 'tenant_id_idx'];

const row = (tenantId: number, i: number, startedAt: number): Insertable<CallRecordsTable> => ({
  tenant_id: tenantId, session_token: `bench-${i}-${(i * 2654435761) % 1e9}`, direction: i % 10 === 0 ? 'outbound' : 'inbound', from_number: `+1212555${1000 + (i % 9000)}`,
  to_number: '+12125550100', status: 'connected', agent_id: (i % 6) + 1, group_id: (i % 2) + 1, rule_id: 1, attempt: 1, decision_trace: '{"steps":[]}', disposition: null,
  started_at: startedAt, answered_at: startedAt + 2000, ended_at: null, duration_seconds: null, billsec: null, created_at: startedAt, updated_at: startedAt,
  facts: null, outcome_reason: null, cloudonix_direction: 'inbound', variant: null, is_test: 0,
});

async function measure(without: string | null): Promise<{ cpuUs: number; wallUs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'vlb-bench-call-row-'));
  const store = openStore(`sqlite:${join(dir, 'bench.sqlite')}`);
  try {
    await migrateToLatest(store);
    if (without) await dropIndex(store.db as never, 'call_records', `call_records_${without}`);
    const now = Date.now();
    const tenantId = await store.dialect.insertId(store.db, 'tenants', { name: 'bench', domain: 'bench.test', webhook_secret_sealed: 'v1:x', settings: writeJson({}), created_at: now, updated_at: now });
    for (let i = 0; i < SEED; i += 500) await store.db.insertInto('call_records').values(Array.from({ length: Math.min(500, SEED - i) }, (_, k) => row(tenantId, i + k, now - (SEED - i - k) * 1000))).execute();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < ROWS; i += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, k) => row(tenantId, SEED + i + k, now + i + k));
      const ids = await store.db.transaction().execute(async (trx) => {
        const out: number[] = [];
        for (const r of batch) out.push(await store.dialect.insertId(trx, 'call_records', r));
        return out;
      });
      await store.db.transaction().execute(async (trx) => {
        for (const [k, id] of ids.entries()) {
          await trx.updateTable('call_records').set({ status: 'completed', duration_seconds: 30 + ((i + k) % 600), ended_at: now + 60_000, updated_at: now + 60_000 }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
        }
      });
    }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { cpuUs: (cpu.user + cpu.system) / ROWS, wallUs: (wall * 1000) / ROWS };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`SQLite file, ${SEED.toLocaleString('en')} calls already stored, ${ROWS.toLocaleString('en')} calls inserted then ended\n`);
console.log('| index set | CPU per call (µs) | wall per call (µs) |\n|---|---:|---:|');
await measure(null); // warm-up: the first database of a process pays for JIT and module start
const all = await measure(null);
console.log(`| all nine B-trees | ${all.cpuUs.toFixed(1)} | ${all.wallUs.toFixed(1)} |`);
for (const name of DROPPABLE) {
  const r = await measure(name);
  console.log(`| without ${name} | ${r.cpuUs.toFixed(1)} (${(r.cpuUs - all.cpuUs).toFixed(1)}) | ${r.wallUs.toFixed(1)} |`);
}
const again = await measure(null);
console.log(`| all nine again (the run's spread) | ${again.cpuUs.toFixed(1)} | ${again.wallUs.toFixed(1)} |`);
