/**
 * Voice answers while a tenant's daily roll-ups are recomputed from its calls, embedded (SQLite).
 * A recompute is the repair path: every 3 hours for today and yesterday of the tenants written to,
 * and for every day of a tenant whose time zone changes. On SQLite it runs in the writer thread, and
 * new calls' commits, which their voice answers wait for, queue behind it.
 *
 * The built server (embedded) gets a tenant through the API, then CALLS ended calls of the last
 * ~12 hours written straight into its file. Voice requests at a fixed rate (100/s from 10
 * connections) for 10 s each round, alternately alone and with the tenant's time zone changed 2 s
 * in (which recomputes each of its days): the answers' p50, p99 and slowest, same run.
 *
 *   npx tsx bench/recompute-stall.ts [calls, default 300000] [rounds, default 2]
 */
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { voiceLoadOptions } from './support/load.js';
import { buildServer, startService } from './support/processes.js';
import { createBenchTenant, type BenchTenant } from './support/tenant-setup.js';
import { loadAverage, log } from './support/webhook-report.js';

const CALLS = Number(process.argv[2] ?? 300_000);
const ROUNDS = Number(process.argv[3] ?? 2);
const ZONES = ['America/New_York', 'Europe/Berlin'];

/** The tenant's ended calls, spread over the 12 hours before the last one, as the routing path leaves them. */
function seedCalls(file: string, t: BenchTenant, now: number): void {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    const tenantId = (db.prepare('select id from tenants where domain = ?').get(t.domain) as { id: number }).id;
    const trace = JSON.stringify({
      direction: 'inbound', matched_rule: { id: 1, kind: 'inbound', name: null, pattern: '*' }, target: { type: 'group', id: t.groupId }, strategy: 'round_robin',
      group_id: t.groupId, rotation_counter: 7, candidates: t.agentIds, skipped: [], chosen_agent_id: t.agentIds[0], attempts: [],
      settings: { max_attempts: 3, fallback_enabled: true, failover_on_busy: false }, outbound: null, fallback: null,
    });
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

async function main(): Promise<void> {
  log(`recompute-stall: ${new Date().toISOString()}, Node ${process.version}; ${CALLS} calls of the tenant, ${ROUNDS} rounds; load average ${loadAverage()}`);
  buildServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-recompute-'));
  const server = await startService('service', { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  try {
    const t = await createBenchTenant(server.base);
    seedCalls(join(dataDir, 'voice-lb.sqlite'), t, Date.now());
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
    }
    const problems = server.problems();
    if (problems.count > 0) log(`the server logged ${problems.count} warnings/errors; the first: ${problems.first}`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
