import { replaySequence } from '../../src/cli/sequence-replay.js';
import type { CallRecordDetailResponse, CallRecordListResponse } from '../../src/http/call-records.js';
import type { CdrListResponse } from '../../src/http/cdrs.js';
import type { ExportResponse } from '../../src/http/exports.js';
import type { TenantActors } from './actors.js';
import { registerTenant } from './actors.js';
import { newSession, webhookSecret } from './cloudonix.js';
import { injectSender, loadSequences, setUpSequence } from './cloudonix-sequences.js';
import type { TestApp } from './test-app.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * The base of the times in the seeded calls' payloads: an hour before the run, so
 * every payload time is in the past and tells itself apart from the service's own
 * clock (which stamps when a call started, and so its hour and day in analytics).
 */
export function seedBase(runStart: number): number {
  return runStart - HOUR_MS;
}

/**
 * Waits, if need be, until the seeding cannot straddle an hour (or a day): the
 * service files a call under the hour its webhook arrived, so calls seeded across
 * a boundary would land in two buckets of the hourly analytics.
 */
export async function awayFromHourBoundary(marginMs = 150_000): Promise<void> {
  const left = HOUR_MS - (Date.now() % HOUR_MS);
  if (left < marginMs) await new Promise((r) => setTimeout(r, left + 1_000));
}

export const dayText = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export interface SeededTenant {
  /** What the tenant stands for (the sequence file's name). */
  name: string;
  actors: TenantActors;
  /** Session tokens in the order the calls were played. */
  sessions: string[];
  /** Random texts of this tenant and what they become in the snapshot. */
  replacements: [string, string][];
}

/**
 * Each recorded Cloudonix sequence (test/fixtures/cloudonix) in a tenant of its own,
 * played through the real webhooks; call n of the whole seed starts at base + n minutes.
 */
export async function seedSequences(t: TestApp, base: number): Promise<SeededTenant[]> {
  const out: SeededTenant[] = [];
  let n = 0;
  for (const { file, sequence } of loadSequences()) {
    const actors = await registerTenant(t, 'views');
    const secret = await webhookSecret(t, actors.admin.token);
    const { targets } = await setUpSequence(t, actors, sequence);
    const sessions: string[] = [];
    for (let call = 0; call < sequence.calls; call++) {
      const session = newSession();
      sessions.push(session);
      const played = await replaySequence(sequence, { domain: actors.domain, secret, session, t: base + n * 60_000, send: injectSender(t), agentTargets: targets });
      n += 1;
      const bad = played.flatMap((p) => p.mismatches.map((m) => `${file} step ${p.index + 1}: ${m}`));
      if (bad.length > 0) throw new Error(bad.join('\n'));
    }
    out.push({ name: file.replace(/\.json$/, ''), actors, sessions, replacements: tenantReplacements(actors, sessions, secret) });
  }
  return out;
}

export function tenantReplacements(a: TenantActors, sessions: string[], secret: string): [string, string][] {
  const suffix = a.domain.split('.')[0]!.split('-').pop()!;
  const pairs: [string, string][] = [[secret, '<secret>'], [a.domain, '<domain>'], ...sessions.map((s, i): [string, string] => [s, `<session${i + 1}>`])];
  // Names, e-mails and group names carry random hex suffixes.
  pairs.push([suffix, '<sfx>']);
  return pairs.sort((x, y) => y[0].length - x[0].length);
}

async function get<T>(t: TestApp, token: string, url: string): Promise<T> {
  const res = await t.request({ method: 'GET', url, token });
  if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
  return res.json<T>();
}

/** Runs a CSV export of the tenant's call records to completion and answers the file. */
async function exportCsv(t: TestApp, token: string, filters: Record<string, unknown>): Promise<string> {
  const created = await t.request({ method: 'POST', url: '/api/exports', token, payload: { format: 'csv', filters } });
  if (created.statusCode !== 202) throw new Error(`export: ${created.statusCode} ${created.body}`);
  const id = created.json<ExportResponse>().id;
  for (let i = 0; i < 400; i++) {
    const e = await get<ExportResponse>(t, token, `/api/exports/${id}`);
    if (e.status === 'completed') {
      const file = await t.request({ method: 'GET', url: `/api/exports/${id}/download`, token });
      if (file.statusCode !== 200) throw new Error(`download: ${file.statusCode}`);
      return file.body;
    }
    if (e.status === 'failed') throw new Error(`export failed: ${e.error}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('export did not complete in 10 s');
}

/**
 * The export file as header and rows of cells keyed by column (numbers as numbers,
 * so ids are normalised like the API's); the header is kept as sent.
 */
function csvRows(file: string): unknown[] {
  const lines = file.split('\n').filter((l) => l !== '');
  const header = lines[0] ?? '';
  const columns = header.split(',');
  const cells = (line: string): string[] => {
    const out: string[] = [];
    let cell = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted && ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        out.push(cell);
        cell = '';
      } else cell += ch;
    }
    out.push(cell);
    return out;
  };
  const rows = lines.slice(1).map((l) => Object.fromEntries(cells(l).map((c, i) => [columns[i] ?? `#${i}`, /^\d+$/.test(c) ? Number(c) : c])));
  return [header, ...rows];
}

/**
 * The chart's buckets start at the run's wall-clock hours and days: a day bucket
 * says its day, and the hourly chart (it runs up to the current hour, the seeded
 * calls all in the run's hour) keeps only the hours with calls, the run's named so.
 */
function withRunHour<T>(view: T, runStart: number): T {
  const m = view as { timeline?: { at: string; date: string; hour: number | null; calls: number }[] };
  if (!Array.isArray(m.timeline)) return view;
  const runHour = Math.floor(runStart / HOUR_MS) * HOUR_MS;
  const timeline = m.timeline
    .filter((p) => p.hour === null || p.calls > 0)
    .map((p) => (p.hour === null ? { ...p, at: p.date } : Date.parse(p.at) === runHour ? { ...p, at: '<run hour>', hour: '<run hour>' } : p));
  return { ...view, timeline };
}

/**
 * A timeline entry's id is only the drawer's key for it: the timeline is shown in
 * the order answered, and storage may number (or derive) its entries differently.
 * So the ids must be distinct within the call, and their values are not compared.
 */
function withEventKeys(detail: CallRecordDetailResponse): unknown {
  const ids = detail.events.map((e) => e.id);
  if (new Set(ids).size !== ids.length) return detail;
  return { ...detail, events: detail.events.map((e) => ({ ...e, id: '<distinct>' })) };
}

/** The kind of the ids a view's top-level objects carry in `id`. */
export function viewKind(view: string): string {
  if (view.startsWith('cdr')) return 'cdr';
  if (view.startsWith('webhook_audit')) return 'audit';
  if (view.startsWith('audit_log')) return 'config_audit';
  if (view.startsWith('agents')) return 'agent';
  if (view.startsWith('groups')) return 'group';
  return 'call';
}

/** Every view a user relies on for the tenant's calls, as the API answers them (analyst's token where it may read). */
export async function readViews(t: TestApp, s: SeededTenant, runStart: number, withAudits = false): Promise<Record<string, unknown>> {
  const { analyst, admin } = s.actors;
  const v: Record<string, unknown> = {};
  const days = `start_date=${dayText(runStart - DAY_MS)}&end_date=${dayText(runStart)}`;
  const records = await get<CallRecordListResponse>(t, analyst.token, `/api/call-records?per_page=100`);
  v.records = records;
  v['records?sort=duration'] = await get(t, analyst.token, '/api/call-records?per_page=100&sort=duration');
  v['records?sort=-status'] = await get(t, analyst.token, '/api/call-records?per_page=100&sort=-status');
  v['records?status=completed'] = await get(t, analyst.token, '/api/call-records?per_page=100&status=completed');
  v['records?status=failed,busy,no_answer,fallback'] = await get(t, analyst.token, '/api/call-records?per_page=100&status=failed,busy,no_answer,fallback');
  v['records?min_duration=30'] = await get(t, analyst.token, '/api/call-records?per_page=100&min_duration=30');
  v['records?day'] = await get(t, analyst.token, `/api/call-records?per_page=100&${days}`);
  v['records?per_page=1&page=2'] = await get(t, analyst.token, '/api/call-records?per_page=1&page=2');
  for (const r of records.data) v[`record ${r.session_token}`] = withEventKeys(await get<CallRecordDetailResponse>(t, analyst.token, `/api/call-records/${r.id}`));
  const cdrs = await get<CdrListResponse>(t, analyst.token, '/api/cdr?per_page=100');
  v.cdrs = cdrs;
  v['cdrs?disposition=answered'] = await get(t, analyst.token, '/api/cdr?per_page=100&disposition=answered');
  for (const c of cdrs.data) v[`cdr ${c.session_token ?? c.id}`] = await get(t, analyst.token, `/api/cdr/${c.id}`);
  v['export.csv'] = csvRows(await exportCsv(t, analyst.token, {}));
  v['export.csv?status=completed'] = csvRows(await exportCsv(t, analyst.token, { status: ['completed'] }));
  await t.runtime.services.rollups.flush();
  for (const view of ['metrics', 'routing', 'agents', 'groups']) {
    v[`analytics/${view}`] = withRunHour(await get(t, analyst.token, `/api/analytics/${view}?${days}`), runStart);
  }
  v['analytics/metrics?bucket=day'] = withRunHour(await get(t, analyst.token, `/api/analytics/metrics?${days}&bucket=day`), runStart);
  v['calls/stats'] = await get(t, analyst.token, '/api/calls/stats');
  v.webhook_audit = await get(t, admin.token, '/api/webhook-audit?per_page=100');
  v['webhook_audit?event_type=cdr'] = await get(t, admin.token, '/api/webhook-audit?per_page=100&event_type=cdr');
  if (withAudits) {
    v['webhook_audit?include_rejected=true'] = await get(t, admin.token, '/api/webhook-audit?per_page=100&include_rejected=true');
    v.audit_log = await get(t, admin.token, '/api/audit-log?per_page=100');
  }
  return v;
}
