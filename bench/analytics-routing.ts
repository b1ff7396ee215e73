// bench/analytics-routing: N calls over 30 days with real-looking decision traces (a quarter each:
// answered plainly, overflowed past a full agent, fallback with every agent at its cap, no rule) on
// every database of test/support/backends.ts; times rebuilding the daily roll-ups (which count
// overflow and fallback from the traces), one day's recompute, /api/analytics/routing over 30 days,
// and metrics per hour (today) and per day (30 days), median of 7 after the first.
// Usage: N=100000 npx tsx bench/analytics-routing.ts (set TEST_MYSQL_URL / TEST_POSTGRES_URL for those).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRuntime } from '../src/cli/runtime.js';
import { parseConfig } from '../src/core/config.js';
import { localDay, localDayRange } from '../src/core/time/local-day.js';
import { createLogger } from '../src/services/logger.js';
import { DIALECTS } from '../test/support/backends.js';

const N = Number(process.env.N ?? 100_000);
const DAYS = 30;
for (const d of DIALECTS) {
  const db0 = await d.createDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-rb-'));
  const env: Record<string, string> = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', SIGNUP: 'open', DATABASE_URL: db0.url, APP_KEY: 'ab'.repeat(32) };
  const rt = await openRuntime(parseConfig(env), createLogger('warn'), { migrate: true });
  const db = rt.store.db;
  const now = Date.now();
  await db.insertInto('tenants').values({ name: 't', domain: 't.bench', settings: '{}', webhook_secret_sealed: 's', created_at: now, updated_at: now }).execute();
  const tenant = Number((await db.selectFrom('tenants').select('id').executeTakeFirstOrThrow()).id);
  const kinds = ['plain', 'overflow', 'cap', 'norule'] as const;
  const rows = [];
  for (let i = 0; i < N; i++) {
    const k = kinds[i % 4]!;
    const trace = { direction: 'inbound', matched_rule: k === 'norule' ? null : { id: 1, kind: 'inbound', name: 'Main', pattern: '+1*' }, target: { type: 'group', id: 1 }, strategy: 'priority', group_id: 1, rotation_counter: 3, candidates: [1, 2], skipped: k === 'overflow' || k === 'cap' ? [{ agent_id: 1, reason: 'at_capacity' }, ...(k === 'cap' ? [{ agent_id: 2, reason: 'at_capacity' }] : [])] : [], chosen_agent_id: k === 'plain' || k === 'overflow' ? 2 : null, attempts: [{ attempt: 1, agent_id: 2, at: new Date().toISOString(), outcome: 'answered' }], settings: { max_attempts: 3, fallback_enabled: true, failover_on_busy: false }, outbound: null, fallback: k === 'cap' ? { type: 'message', reason: 'no_candidate' } : k === 'norule' ? { type: 'message', reason: 'no_rule' } : null };
    const started = now - Math.floor((i / N) * DAYS * 86_400_000);
    rows.push({ tenant_id: tenant, session_token: `s${i}`, direction: 'inbound', from_number: '+1415', to_number: '+1212', status: 'completed', agent_id: k === 'plain' || k === 'overflow' ? 2 : null, group_id: 1, rule_id: null, attempt: 1, decision_trace: JSON.stringify(trace), disposition: null, started_at: started, answered_at: null, ended_at: null, duration_seconds: 10, billsec: 10, created_at: started, updated_at: started, facts: null, outcome_reason: k === 'cap' ? 'overflow_fallback' : k === 'norule' ? 'no_rule' : 'answered', cloudonix_direction: 'inbound' });
    if (rows.length === 1000) await db.insertInto('call_records').values(rows.splice(0)).execute();
  }
  if (rows.length) await db.insertInto('call_records').values(rows).execute();
  const store = rt.services.repos.callRollups;
  const time = async (label: string, f: () => Promise<unknown>) => {
    const ts: number[] = [];
    for (let i = 0; i < 7; i++) { const t0 = performance.now(); await f(); ts.push(performance.now() - t0); }
    ts.sort((a, b) => a - b);
    console.log(`${d.name} N=${N} ${label}: median ${ts[3]!.toFixed(1)} ms`);
  };
  const day = 86_400_000;
  const t0 = performance.now();
  await rt.services.rollups.rebuildTenant(tenant);
  console.log(`${d.name} N=${N} rebuild ${DAYS + 1} days: ${(performance.now() - t0).toFixed(0)} ms (${((performance.now() - t0) / (DAYS + 1)).toFixed(1)} ms per day of ${Math.round(N / DAYS)} calls)`);
  const today = localDay(now, 'UTC');
  const r = localDayRange(today, 'UTC');
  await time('recompute one day', () => store.recomputeDay(tenant, today, r.start, r.end, now));
  const svc = rt.services.analytics;
  const from = new Date(now - DAYS * day).toISOString().slice(0, 10);
  await time(`routing ${DAYS} days (roll-ups)`, () => svc.routing(tenant, { start_date: from, end_date: today }));
  await time('metrics today (hourly)', () => svc.metrics(tenant, { start_date: today, end_date: today }));
  await time(`metrics ${DAYS} days`, () => svc.metrics(tenant, { start_date: from, end_date: today }));
  console.log(JSON.stringify(await svc.routing(tenant, { start_date: from, end_date: today })));
  await rt.close();
  await db0.drop();
}
