// bench/analytics: seeds a tenant with 10k calls and another with 1M, times each analytics and list
// endpoint on both (median of repeated requests through the real app), and prints the ratio
// 1M ÷ 10k (goal ≤ 2x). Then exports the 1M tenant to CSV and reports the peak RSS growth (goal < 100 MB),
// split into RssAnon / RssFile / RssShmem and the V8 heap (the server runs in this process).
// Usage: npm run bench:analytics [-- --small 10000 --large 1000000 --runs 15 --exports 1]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openRuntime } from '../src/cli/runtime.js';
import { parseConfig } from '../src/core/config.js';
import { buildApp } from '../src/http/app.js';
import { createLogger } from '../src/services/logger.js';
import { seedCalls } from '../src/services/seeding/seed-calls.js';
import { sampleMemoryParts, signedMb } from './support/memory-parts.js';

const { values } = parseArgs({ options: { small: { type: 'string', default: '10000' }, large: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '15' }, exports: { type: 'string', default: '1' } } });
const sizes = [Number(values.small), Number(values.large)];
const runs = Number(values.runs);
const exportRuns = Number(values.exports);
const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-analytics-'));
// Several tenants register on one installation (SIGNUP=first would take only the first).
const config = parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOGIN_MAX_ATTEMPTS: '1000', SIGNUP: 'open' });
const logger = createLogger('warn');
const runtime = await openRuntime(config, logger, { migrate: true });
const app = await buildApp({ config: runtime.config, services: runtime.services, logger });
await app.ready();

async function tenant(label: string, calls: number) {
  const s = randomBytes(3).toString('hex');
  const reg = await app.inject({ method: 'POST', url: '/api/auth/register', payload: { name: label, email: `${label}-${s}@bench.test`, password: 'bench-password', password_confirmation: 'bench-password', tenant_name: label, domain: `${label}-${s}.bench.test` } });
  const { token, user } = reg.json() as { token: string; user: { tenant_id: number } };
  const started = performance.now();
  await seedCalls({ store: runtime.store, rollups: runtime.services.rollups, clock: Date.now }, user.tenant_id, calls, { days: 60, seed: 11 });
  console.log(`seeded ${calls.toLocaleString('en')} calls in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // The list's agent and group filters need this tenant's own ids (the first of each seeded).
  const first = async (table: 'voice_agents' | 'agent_groups') =>
    Number((await runtime.store.db.selectFrom(table).select('id').where('tenant_id', '=', user.tenant_id).orderBy('id').executeTakeFirstOrThrow()).id);
  return { token, agentId: await first('voice_agents'), groupId: await first('agent_groups') };
}

const today = new Date().toISOString().slice(0, 10);
const sixtyDaysAgo = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
// `{agent}` and `{group}` stand for the tenant's own ids. Synthetic calls are 10% outbound, a sixth per agent, half per group.
const endpoints = [
  `/api/analytics/metrics?start_date=${sixtyDaysAgo}&end_date=${today}`,
  `/api/analytics/agents?start_date=${sixtyDaysAgo}&end_date=${today}`,
  `/api/analytics/groups?start_date=${sixtyDaysAgo}&end_date=${today}`,
  '/api/calls/stats',
  '/api/calls/active',
  '/api/call-records?per_page=50',
  '/api/call-records?per_page=50&status=completed&sort=-duration',
  `/api/call-records?per_page=50&start_date=${sixtyDaysAgo}&end_date=${today}&min_duration=60`,
  '/api/call-records?per_page=50&direction=outbound',
  '/api/call-records?per_page=50&agent_id={agent}',
  '/api/call-records?per_page=50&group_id={group}',
  '/api/call-records?per_page=50&status=failed',
  '/api/cdr?per_page=50',
];

async function median(url: string, token: string): Promise<number | null> {
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    if (res.statusCode === 404) return null;
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    if (i >= 2) times.push(performance.now() - t0); // two warm-up requests
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const [small, large] = [await tenant('small', sizes[0]!), await tenant('large', sizes[1]!)];
console.log(`\n| endpoint | ${sizes[0]!.toLocaleString('en')} calls (ms) | ${sizes[1]!.toLocaleString('en')} calls (ms) | ratio |\n|---|---|---|---|`);
const forTenant = (url: string, t: { agentId: number; groupId: number }) => url.replace('{agent}', String(t.agentId)).replace('{group}', String(t.groupId));
for (const url of endpoints) {
  const a = await median(forTenant(url, small), small.token);
  const b = await median(forTenant(url, large), large.token);
  if (a === null || b === null) {
    console.log(`| ${url} | not available | | |`);
    continue;
  }
  console.log(`| ${url} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(2)}x |`);
}

// Peak RSS growth of a CSV export of the large tenant, sampled every 20 ms while it runs, and what it is
// made of: anonymous memory (heap, buffers, SQLite's page cache) or file pages (SQLite's mmap of the
// database, which the kernel can drop at any time). `--exports 2` runs it again on the same data.
const exportFields = ['id', 'session_token', 'from', 'to', 'status', 'started_at', 'duration_seconds'];
for (let n = 1; n <= exportRuns; n++) {
  const probe = await app.inject({ method: 'POST', url: '/api/exports', headers: { authorization: `Bearer ${large.token}` }, payload: { format: 'csv', fields: exportFields, filters: {} } });
  if (probe.statusCode !== 202) {
    console.log(`\nexports: not available (${probe.statusCode})`);
    break;
  }
  const id = (probe.json() as { id: number }).id;
  const sampler = sampleMemoryParts(20);
  const started = performance.now();
  for (;;) {
    const s = (await app.inject({ method: 'GET', url: `/api/exports/${id}`, headers: { authorization: `Bearer ${large.token}` } })).json() as { status: string; row_count: number };
    if (s.status === 'completed' || s.status === 'failed') {
      const { base, atRssPeak: at, peaks, end } = sampler.stop();
      console.log(`\nCSV export ${n}: ${s.status}, ${s.row_count.toLocaleString('en')} rows in ${((performance.now() - started) / 1000).toFixed(1)} s; peak RSS growth ${at.vmRss.toFixed(1)} MB (goal < 100 MB)`);
      console.log(`  at the RSS peak, MB: RssAnon ${signedMb(at.rssAnon)}, RssFile ${signedMb(at.rssFile)}, RssShmem ${signedMb(at.rssShmem)}, V8 heap used ${signedMb(at.heapUsed)}, external ${signedMb(at.external)}`);
      console.log(`  each part's own peak growth, MB: RssAnon ${signedMb(peaks.rssAnon)}, RssFile ${signedMb(peaks.rssFile)}, RssShmem ${signedMb(peaks.rssShmem)}, V8 heap used ${signedMb(peaks.heapUsed)}`);
      console.log(`  after it, MB: VmRSS ${signedMb(end.vmRss)}, RssAnon ${signedMb(end.rssAnon)}, RssFile ${signedMb(end.rssFile)} (before it: VmRSS ${base.vmRss.toFixed(0)}, RssAnon ${base.rssAnon.toFixed(0)}, RssFile ${base.rssFile.toFixed(0)})`);
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

await app.close();
await runtime.close();
rmSync(dataDir, { recursive: true, force: true });
