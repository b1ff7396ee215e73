import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFields } from '../../src/core/schemas/exports.js';
import type { ExportResponse } from '../../src/http/exports.js';
import { registerTenant, uniqueSuffix, type TenantActors } from '../support/actors.js';
import { DIALECTS, TEST_REDIS_URL, type TestDialect } from '../support/backends.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { runTenantIsolationTests, type IsolationContext } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const EVIL = '=HYPERLINK("http://evil","x")';
const STATUSES = ['completed', 'failed', 'busy', 'no_answer', 'ringing'] as const;
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/**
 * Call records straight into the table, in batches: `count` rows, 1 in 10 outbound,
 * 1 in 10 still ringing; the first inbound completed one carries a formula as its caller.
 */
async function seedCalls(t: TestApp, tenantId: number, count: number, refs: { agent: number; group: number }, tag: string): Promise<void> {
  for (let start = 0; start < count; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const status = i % 10 === 3 ? 'ringing' : STATUSES[i % 4]!;
      const at = T0 + (i % 60) * DAY_MS + i * 1000;
      rows.push({
        tenant_id: tenantId,
        session_token: `${tag}-${i}`,
        direction: i % 10 === 7 ? 'outbound' : 'inbound',
        from_number: i === 0 ? EVIL : `+1415555${String(i % 10000).padStart(4, '0')}`,
        to_number: '+12125550187',
        status,
        agent_id: i % 2 === 0 ? refs.agent : null,
        group_id: i % 2 === 0 ? refs.group : null,
        rule_id: null,
        attempt: 1,
        decision_trace: null,
        disposition: status === 'completed' ? 'ANSWER' : null,
        started_at: at,
        answered_at: status === 'completed' ? at + 2000 : null,
        ended_at: status === 'ringing' ? null : at + 60_000,
        duration_seconds: status === 'ringing' ? null : i % 300,
        billsec: status === 'completed' ? i % 300 : null,
        created_at: at,
        updated_at: at,
      });
    }
    await t.runtime.store.db.insertInto('call_records').values(rows).execute();
  }
}

async function waitFor(t: TestApp, token: string, id: number, timeoutMs = 120_000): Promise<ExportResponse> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const view = (await t.request({ method: 'GET', url: `/api/exports/${id}`, token })).json<ExportResponse>();
    if (view.status === 'completed' || view.status === 'failed') return view;
    if (Date.now() > until) throw new Error(`export ${id} still ${view.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function exportAndWait(t: TestApp, token: string, body: unknown): Promise<ExportResponse> {
  const res = await t.request({ method: 'POST', url: '/api/exports', token, payload: body as object });
  if (res.statusCode !== 202) throw new Error(`export refused: ${res.statusCode} ${res.body}`);
  expect(res.json()).toMatchObject({ status: 'queued', progress: 0, row_count: 0, download_url: null });
  return waitFor(t, token, res.json<ExportResponse>().id);
}

const download = (t: TestApp, token: string, id: number) => t.request({ method: 'GET', url: `/api/exports/${id}/download`, token });

/** The filter of the big export, and the same filter as independent SQL. */
const FILTER = { direction: 'inbound', status: ['completed', 'failed', 'busy', 'no_answer'] };
async function expectedIds(t: TestApp, tenantId: number): Promise<number[]> {
  const rows = await t.runtime.store.db
    .selectFrom('call_records')
    .select('id')
    .where('tenant_id', '=', tenantId)
    .where('direction', '=', 'inbound')
    .where('status', 'in', FILTER.status)
    .orderBy('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** The flow of the acceptance check: a big filtered export, CSV and JSON, matched against SQL and the list API. */
function bigExportTests(get: () => { t: TestApp; a: TenantActors }) {
  it('exports the filtered records to CSV and JSON, matching an independent query and the list; formulas come out inert', async () => {
    const { t, a } = get();
    const expected = await expectedIds(t, a.tenantId);
    const listUrl = '/api/call-records?direction=inbound&status=completed,failed,busy,no_answer&per_page=200';
    const listed = (await t.request({ method: 'GET', url: listUrl, token: a.admin.token })).json();
    // The list counts up to 10,000 matches; its first page is part of the export.
    expect(listed.meta).toMatchObject({ total: Math.min(expected.length, 10_000), total_capped: expected.length > 10_000 });
    const expectedSet = new Set(expected);
    expect(listed.data.every((r: { id: number }) => expectedSet.has(r.id))).toBe(true);

    let peak = process.memoryUsage().rss;
    const base = peak;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const started = Date.now();
    const csv = await exportAndWait(t, a.admin.token, { format: 'csv', fields: [...exportFields], filters: FILTER });
    clearInterval(sampler);
    console.log(`[exports] ${csv.row_count} rows to CSV in ${Date.now() - started} ms; peak RSS growth ${((peak - base) / 1048576).toFixed(1)} MB`);
    expect(csv).toMatchObject({ status: 'completed', progress: 100, row_count: expected.length, download_url: `/api/exports/${csv.id}/download` });
    expect(peak - base).toBeLessThan(200 * 1048576);

    const file = await download(t, a.analyst.token, csv.id);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="calls-${csv.id}.csv"`);
    const [header, ...records] = parse(file.rawPayload) as string[][];
    expect(header).toEqual([...exportFields]);
    expect(records.map((r) => Number(r[0]))).toEqual(expected);
    const evil = records.find((r) => r[1] === `${a.domain}-0`)!;
    expect(evil[3]).toBe(`'${EVIL}`);
    expect(records[1]![3]).toMatch(/^\+1415555\d{4}$/); // plain E.164 numbers are left as they are
    expect(records.every((r) => r.every((c) => !/^[=@\-\t\r]/.test(c) && (!c.startsWith('+') || /^\+\d+$/.test(c))))).toBe(true);

    const json = await exportAndWait(t, a.admin.token, { format: 'json', fields: ['id', 'from', 'status', 'started_at'], filters: FILTER });
    const jfile = await download(t, a.admin.token, json.id);
    expect(jfile.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(jfile.headers['content-disposition']).toBe(`attachment; filename="calls-${json.id}.json"`);
    const parsed = jfile.json<{ id: number; from: string; status: string; started_at: string }[]>();
    expect(parsed.map((r) => r.id)).toEqual(expected);
    expect(Object.keys(parsed[0]!)).toEqual(['id', 'from', 'status', 'started_at']);
    expect(parsed[0]).toMatchObject({ from: EVIL, status: 'completed', started_at: new Date(T0).toISOString() });
  });

  it('exports exactly what the list shows, page after page, for a narrower filter', async () => {
    const { t, a } = get();
    const listIds: number[] = [];
    for (let page = 1; ; page++) {
      const res = (await t.request({ method: 'GET', url: `/api/call-records?direction=inbound&status=completed,busy&max_duration=4&start_date=2026-01-02&per_page=200&page=${page}`, token: a.admin.token })).json();
      listIds.push(...res.data.map((r: { id: number }) => r.id));
      if (res.data.length < 200) break;
    }
    expect(listIds.length).toBeGreaterThan(100);
    const done = await exportAndWait(t, a.analyst.token, { format: 'json', fields: ['id'], filters: { direction: 'inbound', status: 'completed,busy', max_duration: 4, start_date: '2026-01-02' } });
    const exported = (await download(t, a.analyst.token, done.id)).json<{ id: number }[]>().map((r) => r.id);
    expect(exported).toEqual([...listIds].sort((x, y) => x - y));
  });
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: exports`, () => {
    // 4 in 5 match the big export's filter: 100k rows on SQLite, 20k on the servers (CI time).
    const rows = dialect.name === 'sqlite' ? 125_000 : 25_000;
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    const ids: Record<string, number> = {};
    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'exports');
      b = await registerTenant(t, 'other');
      const agent = await createAgent(t, a.admin.token, { name: 'Ada' });
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: agent }]);
      await seedCalls(t, a.tenantId, rows, { agent, group }, a.domain);
      await seedCalls(t, b.tenantId, 50, { agent: 999_999, group: 999_999 }, b.domain);
      ids.export = (await exportAndWait(t, a.admin.token, { format: 'csv', fields: ['id'], filters: { session_token: `${a.domain}-0` } })).id;
    }, 300_000);
    afterAll(async () => t?.close());

    bigExportTests(() => ({ t, a }));

    it('writes the chosen fields in order, with names and ISO UTC times', async () => {
      const done = await exportAndWait(t, a.admin.token, { format: 'csv', fields: ['session_token', 'agent_name', 'started_at', 'duration_seconds', 'ended_at'], filters: { session_token: `${a.domain}-3` } });
      const [header, row] = parse((await download(t, a.admin.token, done.id)).rawPayload) as string[][];
      expect(header).toEqual(['session_token', 'agent_name', 'started_at', 'duration_seconds', 'ended_at']);
      // Row 3 is ringing: no agent, no duration, no end.
      expect(row).toEqual([`${a.domain}-3`, '', new Date(T0 + 3 * DAY_MS + 3000).toISOString(), '', '']);
      const two = await exportAndWait(t, a.admin.token, { format: 'json', fields: ['agent_name', 'group_id'], filters: { session_token: `${a.domain}-2` } });
      expect((await download(t, a.admin.token, two.id)).json()).toEqual([{ agent_name: 'Ada', group_id: expect.any(Number) }]);
      const none = await exportAndWait(t, a.admin.token, { format: 'json', filters: { session_token: 'nobody' } });
      expect(none).toMatchObject({ status: 'completed', row_count: 0 });
      expect((await download(t, a.admin.token, none.id)).json()).toEqual([]);
    });

    it('refuses bad bodies with 422 naming the field', async () => {
      const cases: [unknown, string][] = [
        [{ format: 'xml' }, 'format'],
        [{}, 'format'],
        [{ format: 'csv', fields: ['id', 'password', 'decision_trace'] }, 'fields'],
        [{ format: 'csv', fields: [] }, 'fields'],
        [{ format: 'csv', filters: { colour: 'red' } }, 'filters'],
        [{ format: 'csv', filters: { status: 'flying' } }, 'filters.status'],
        [{ format: 'csv', filters: { start_date: '2026-02-30' } }, 'filters.start_date'],
        [{ format: 'csv', filters: { start_date: '2026-03-02', end_date: '2026-03-01' } }, 'filters.end_date'],
        [{ format: 'csv', filters: { min_duration: 10, max_duration: 5 } }, 'filters.max_duration'],
        [{ format: 'csv', filters: { agent_id: -1 } }, 'filters.agent_id'],
        [{ format: 'csv', filters: { from: 'abc' } }, 'filters.from'],
        [{ format: 'csv', owner: 1 }, 'body'],
      ];
      for (const [payload, field] of cases) {
        const res = await t.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: payload as object });
        expect(res.statusCode, JSON.stringify(payload)).toBe(422);
        expect(Object.keys(res.json().error.details.fields), JSON.stringify(payload)).toContain(field);
      }
      const unknown = await t.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: { format: 'csv', fields: ['id', 'password'] } });
      expect(unknown.json().error.details.fields.fields[0]).toContain('password');
    });

    it('answers 300 fuzzed bodies without a 5xx', async () => {
      const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constantFrom('csv', 'json', 'completed,busy', '2026-01-01', '+1415'), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }));
      const filters = fc.record(Object.fromEntries(['agent_id', 'status', 'direction', 'from', 'start_date', 'end_date', 'min_duration', 'max_duration', 'session_token'].map((k) => [k, value])), { requiredKeys: [] });
      const body = fc.oneof(fc.record({ format: value, fields: fc.oneof(value, fc.subarray([...exportFields, 'nope'])), filters: fc.oneof(filters, value) }, { requiredKeys: [] }), fc.jsonValue());
      // Tenant B: its few records keep any valid export cheap.
      await fc.assert(
        fc.asyncProperty(body, async (payload) => {
          const res = await t.request({ method: 'POST', url: '/api/exports', token: b.admin.token, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
          expect([202, 400, 422], res.body).toContain(res.statusCode);
        }),
        { numRuns: 300 },
      );
      await t.runtime.services.exports.whenIdle();
    });

    it('lists newest first with pagination; only the tenant’s own', async () => {
      const page = (await t.request({ method: 'GET', url: '/api/exports?per_page=2', token: a.analyst.token })).json();
      expect(page.data).toHaveLength(2);
      expect(page.meta.total).toBeGreaterThanOrEqual(3);
      expect(page.data[0].id).toBeGreaterThan(page.data[1].id);
      const all = (await t.request({ method: 'GET', url: '/api/exports?per_page=100&status=completed', token: a.admin.token })).json();
      expect(all.data.map((e: ExportResponse) => e.id)).toContain(ids.export);
      const other = (await t.request({ method: 'GET', url: '/api/exports?per_page=100', token: b.admin.token })).json();
      expect(other.data.map((e: ExportResponse) => e.id)).not.toContain(ids.export);
    });

    it('lets analysts export; 409 until completed; failed jobs say why', async () => {
      const done = await exportAndWait(t, a.analyst.token, { format: 'json', fields: ['id'], filters: { session_token: `${a.domain}-5` } });
      expect(done).toMatchObject({ status: 'completed', row_count: 1, requested_by: a.analyst.id });
      const now = Date.now();
      const base = { tenant_id: a.tenantId, user_id: a.admin.id, format: 'csv', fields: '["id"]', progress: 0, row_count: 0, file_path: null, error: null, expires_at: null, created_at: now, updated_at: now, completed_at: null };
      const queued = await t.runtime.store.dialect.insertId(t.runtime.store.db, 'exports', { ...base, status: 'queued', filters: '{"colour":"red"}' });
      expect((await download(t, a.admin.token, queued)).statusCode).toBe(409);
      // A restarted in-process queue resumes unfinished exports; these stored filters no longer parse.
      expect(await t.runtime.services.exports.resumeUnfinished()).toBeGreaterThanOrEqual(1);
      await t.runtime.services.exports.whenIdle();
      const failed = (await t.request({ method: 'GET', url: `/api/exports/${queued}`, token: a.admin.token })).json<ExportResponse>();
      expect(failed).toMatchObject({ status: 'failed', download_url: null });
      expect(failed.error).toContain('filters');
      expect((await download(t, a.admin.token, queued)).json().error.code).toBe('conflict');
    });

    describe('isolation', () => {
      runTenantIsolationTests((): IsolationContext => ({ t, a, b, ids }), [
        { method: 'GET', url: () => '/api/exports', scope: 'own', access: 'read' },
        { method: 'POST', url: () => '/api/exports', payload: () => ({ format: 'csv', fields: ['id'], filters: { session_token: 'none' } }), scope: 'own', access: 'member' },
        { method: 'GET', url: (i) => `/api/exports/${i.export}`, scope: 'row', access: 'read' },
        { method: 'GET', url: (i) => `/api/exports/${i.export}/download`, scope: 'row', access: 'read' },
      ]);
    });

    // Last: the sweep expires every export completed so far.
    it('expires files after EXPORT_EXPIRY_DAYS: the sweep deletes them and downloads get 404', async () => {
      const done = await exportAndWait(t, a.admin.token, { format: 'csv', fields: ['id'], filters: { session_token: `${a.domain}-1` } });
      expect(Date.parse(done.expires_at!) - Date.parse(done.completed_at!)).toBe(7 * DAY_MS);
      const file = join(t.runtime.config.dataDir, 'exports', String(a.tenantId), `${done.id}.csv`);
      expect(existsSync(file)).toBe(true);
      expect(await t.runtime.services.exports.sweepExpired(Date.now())).toBe(0);
      expect(await t.runtime.services.exports.sweepExpired(Date.parse(done.expires_at!))).toBeGreaterThanOrEqual(1);
      expect(existsSync(file)).toBe(false);
      expect((await t.request({ method: 'GET', url: `/api/exports/${done.id}`, token: a.admin.token })).json()).toMatchObject({ status: 'expired', download_url: null });
      const gone = await download(t, a.admin.token, done.id);
      expect(gone.statusCode).toBe(404);
      expect(gone.json().error.message).toContain('expired');
    });
  });
}

describe.runIf(TEST_REDIS_URL)('redis: exports', () => {
  // One SQLite file and one Redis key prefix shared by two instances in turn, to prove jobs outlive a process.
  const prefix = `vlbt:${uniqueSuffix()}:`;
  const dir = mkdtempSync(join(tmpdir(), 'vlb-exports-'));
  const fileDb: TestDialect = { name: 'sqlite', createDatabase: async () => ({ url: `sqlite:${join(dir, 'db.sqlite')}`, drop: async () => {} }) };
  const env = { REDIS_URL: TEST_REDIS_URL ?? '', APP_KEY: randomBytes(32).toString('hex') };
  let t: TestApp;
  let a: TenantActors;
  let pendingId: number;
  let stopBackground: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const first = await createTestApp(fileDb, env, { redisKeyPrefix: prefix });
    try {
      expect(first.runtime.services.exports.queueKind).toBe('bullmq');
      a = await registerTenant(first, 'bull');
      const agent = await createAgent(first, a.admin.token);
      await seedCalls(first, a.tenantId, 25_000, { agent, group: agent }, a.domain);
      // This instance runs no worker: the job waits in Redis while the process goes away.
      const res = await first.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: { format: 'csv', fields: ['id'], filters: FILTER } });
      expect(res.statusCode).toBe(202);
      pendingId = res.json<ExportResponse>().id;
    } finally {
      await first.close();
    }
    t = await createTestApp(fileDb, env, { redisKeyPrefix: prefix });
    stopBackground = t.runtime.services.exports.startBackground();
  }, 300_000);
  afterAll(async () => {
    await stopBackground?.();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(TEST_REDIS_URL ?? '');
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('runs a job queued before a restart on the next instance', async () => {
    const done = await waitFor(t, a.admin.token, pendingId);
    expect(done).toMatchObject({ status: 'completed', row_count: 20_000 });
    const [, ...records] = parse((await download(t, a.admin.token, pendingId)).rawPayload) as string[][];
    expect(records.map((r) => Number(r[0]))).toEqual(await expectedIds(t, a.tenantId));
  });

  bigExportTests(() => ({ t, a }));

  it('puts a job interrupted by shutdown back in the queue for the next instance', async () => {
    const id = (await t.request({ method: 'POST', url: '/api/exports', token: a.admin.token, payload: { format: 'json', filters: FILTER } })).json<ExportResponse>().id;
    let view: ExportResponse | undefined;
    for (let i = 0; i < 2000 && !(view?.status === 'running' && view.progress > 0); i++) {
      await new Promise((r) => setTimeout(r, 2));
      view = (await t.request({ method: 'GET', url: `/api/exports/${id}`, token: a.admin.token })).json<ExportResponse>();
    }
    expect(view?.status).toBe('running');
    await stopBackground?.();
    await t.close();
    t = await createTestApp(fileDb, env, { redisKeyPrefix: prefix });
    expect((await t.request({ method: 'GET', url: `/api/exports/${id}`, token: a.admin.token })).json()).toMatchObject({ status: 'queued', progress: 0 });
    stopBackground = t.runtime.services.exports.startBackground();
    expect(await waitFor(t, a.admin.token, id)).toMatchObject({ status: 'completed', row_count: 20_000 });
  });
});
