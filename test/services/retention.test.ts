import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/services/logger.js';
import { createRetentionService, RETENTION_LOCK_KEY } from '../../src/services/retention-service.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS, type TestDialect } from '../support/backends.js';
import { newSession, parseCxml, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const DAY = 86_400_000;
/** The purge is always run with an explicit "now", so cut-offs are exact; real webhooks arrive after it. */
const NOW = Date.now();

/** Rows of one call (record, two events, CDR, webhook audit) written straight to the tables at a chosen time. */
async function seedCall(t: TestApp, tenantId: number, at: number): Promise<number> {
  const db = t.runtime.store.db;
  const session = newSession();
  const id = await t.runtime.store.dialect.insertId(db, 'call_records', {
    tenant_id: tenantId,
    session_token: session,
    direction: 'inbound',
    from_number: '+14155550123',
    to_number: '+12125550187',
    status: 'completed',
    agent_id: null,
    group_id: null,
    rule_id: null,
    attempt: 1,
    decision_trace: null,
    disposition: 'answered',
    started_at: at,
    answered_at: at + 1000,
    ended_at: at + 60_000,
    duration_seconds: 60,
    billsec: 59,
    created_at: at,
    updated_at: at,
  });
  const event = (n: number) => ({ tenant_id: tenantId, call_record_id: id, event_id: `${session}-${n}`, event_type: 'status', from_status: null, to_status: 'ringing', payload: null, occurred_at: at + n });
  await db.insertInto('call_events').values([event(0), event(1)]).execute();
  await db
    .insertInto('cdrs')
    .values({ tenant_id: tenantId, call_record_id: id, session_token: session, call_id: null, from_number: '+14155550123', to_number: '+12125550187', disposition: 'ANSWER', duration_seconds: 60, billsec: 59, payload: '{}', received_at: at })
    .execute();
  await seedAudit(t, tenantId, at, 1);
  return id;
}

async function seedAudit(t: TestApp, tenantId: number | null, at: number, count: number): Promise<void> {
  const row = { tenant_id: tenantId, event_type: 'session_update', method: 'POST', path: '/api/voice/session/update', session_token: null, outcome: 'ok', status_code: 200, error: null, payload: null, duration_ms: 1, received_at: at };
  for (let i = 0; i < count; i += 1000) {
    await t.runtime.store.db.insertInto('webhook_audit').values(Array.from({ length: Math.min(1000, count - i) }, () => row)).execute();
  }
}

async function counts(t: TestApp, tenantId: number) {
  const db = t.runtime.store.db;
  const n = async (table: 'call_records' | 'call_events' | 'cdrs' | 'webhook_audit') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow()).n);
  return { call_records: await n('call_records'), call_events: await n('call_events'), cdrs: await n('cdrs'), webhook_audit: await n('webhook_audit') };
}

async function setRetention(t: TestApp, actors: TenantActors, days: number): Promise<void> {
  const res = await t.request({ method: 'PUT', url: '/api/tenant', token: actors.admin.token, payload: { settings: { retention_days: days } } });
  expect(res.statusCode).toBe(200);
}

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: retention`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => t?.close());
    const forTenant = (results: { tenantId: number | null }[], tenantId: number) => results.find((r) => r.tenantId === tenantId);

    it('removes exactly what is older than each tenant’s cutoff; 0 days keeps everything', async () => {
      const month = await registerTenant(t, 'month'); // default 30 days
      const week = await registerTenant(t, 'week');
      const forever = await registerTenant(t, 'forever');
      await setRetention(t, week, 7);
      await setRetention(t, forever, 0);
      const cutoff30 = NOW - 30 * DAY;
      const keptMonth = [await seedCall(t, month.tenantId, cutoff30), await seedCall(t, month.tenantId, NOW - DAY)];
      const goneMonth = [await seedCall(t, month.tenantId, cutoff30 - 1), await seedCall(t, month.tenantId, NOW - 400 * DAY)];
      await seedCall(t, week.tenantId, NOW - 8 * DAY);
      const keptWeek = await seedCall(t, week.tenantId, NOW - 6 * DAY);
      await seedCall(t, forever.tenantId, NOW - 4000 * DAY);
      const beforeForever = await counts(t, forever.tenantId);

      const results = await t.runtime.services.retention.runOnce({ now: NOW });
      expect(forTenant(results, month.tenantId)).toEqual({ tenantId: month.tenantId, domain: month.domain, days: 30, call_records: 2, call_events: 4, cdrs: 2, webhook_audit: 2, alerts: 0 });
      expect(forTenant(results, week.tenantId)).toMatchObject({ days: 7, call_records: 1, call_events: 2, cdrs: 1, webhook_audit: 1 });
      expect(forTenant(results, forever.tenantId)).toBeUndefined();

      const db = t.runtime.store.db;
      const ids = async (tenantId: number) => (await db.selectFrom('call_records').select('id').where('tenant_id', '=', tenantId).orderBy('id').execute()).map((r) => Number(r.id));
      expect(await ids(month.tenantId)).toEqual(keptMonth);
      expect(await ids(week.tenantId)).toEqual([keptWeek]);
      expect(await counts(t, month.tenantId)).toEqual({ call_records: 2, call_events: 4, cdrs: 2, webhook_audit: 2 });
      expect(await db.selectFrom('call_events').select('id').where('call_record_id', 'in', goneMonth).execute()).toEqual([]);
      expect(await counts(t, forever.tenantId)).toEqual(beforeForever);
      // A second run finds nothing more to do.
      expect(forTenant(await t.runtime.services.retention.runOnce({ now: NOW }), month.tenantId)).toMatchObject({ call_records: 0, call_events: 0, cdrs: 0, webhook_audit: 0 });
    });

    it('removes alerts resolved before the cutoff and keeps open ones, however old', async () => {
      const alerting = await registerTenant(t, 'alerting');
      const db = t.runtime.store.db;
      const alert = (state: 'open' | 'resolved', firedAt: number, resolvedAt: number | null, n: number) => ({
        tenant_id: alerting.tenantId,
        kind: 'agent_down',
        subject_id: n,
        open_key: state === 'open' ? `agent_down:${n}` : null,
        state,
        details: '{}',
        fired_at: firedAt,
        resolved_at: resolvedAt,
      });
      await db
        .insertInto('alerts')
        .values([alert('resolved', NOW - 40 * DAY, NOW - 31 * DAY, 1), alert('resolved', NOW - 40 * DAY, NOW - 29 * DAY, 2), alert('open', NOW - 400 * DAY, null, 3)])
        .execute();
      expect(forTenant(await t.runtime.services.retention.runOnce({ now: NOW }), alerting.tenantId)).toMatchObject({ alerts: 1 });
      const left = await db.selectFrom('alerts').select(['subject_id', 'state']).where('tenant_id', '=', alerting.tenantId).orderBy('subject_id').execute();
      expect(left.map((a) => [Number(a.subject_id), a.state])).toEqual([
        [2, 'resolved'],
        [3, 'open'],
      ]);
    });

    it('purges the webhook audit of unknown domains with the default 30 days', async () => {
      await seedAudit(t, null, NOW - 31 * DAY, 3);
      await seedAudit(t, null, NOW - 29 * DAY, 2);
      const results = await t.runtime.services.retention.runOnce({ now: NOW });
      expect(results.find((r) => r.tenantId === null)).toMatchObject({ days: 30, webhook_audit: 3 });
      const left = await t.runtime.store.db.selectFrom('webhook_audit').select('received_at').where('tenant_id', 'is', null).execute();
      expect(left.map((r) => Number(r.received_at))).toEqual([NOW - 29 * DAY, NOW - 29 * DAY]);
    });

    it('removes real calls — records, timelines, CDRs, webhook audit — once they pass the cutoff', async () => {
      const real = await registerTenant(t, 'real');
      const secret = await webhookSecret(t, real.admin.token);
      const agent = await createAgent(t, real.admin.token);
      const group = await createGroup(t, real.admin.token, 'round_robin', [{ agent_id: agent }]);
      await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: real.admin.token, payload: { pattern: '*', target_type: 'group', target_id: group } });
      const startedAt = Date.now();
      for (let i = 0; i < 3; i++) {
        const s = newSession();
        expect((await t.request({ method: 'POST', url: `/api/voice/application/${real.domain}?token=${secret}`, payload: voiceBody(real.domain, s) })).statusCode).toBe(200);
        await t.request({ method: 'POST', url: `/api/voice/session/update/${real.domain}?token=${secret}`, payload: { eventId: `${s}-1`, token: s, status: 'connected', domain: real.domain } });
        await t.request({ method: 'POST', url: `/api/voice/session/cdr/${real.domain}?token=${secret}`, payload: { domain: real.domain, from: '+14155550123', to: '+12125550187', disposition: 'ANSWER', duration: 5, billsec: 4, session: { token: s } } });
      }
      const endedAt = Date.now();
      await t.runtime.services.routing.audit.flush();
      const before = await counts(t, real.tenantId);
      expect(before).toMatchObject({ call_records: 3, cdrs: 3, webhook_audit: 9 });
      expect(before.call_events).toBeGreaterThanOrEqual(6);

      expect(forTenant(await t.runtime.services.retention.runOnce({ now: startedAt + 30 * DAY - 1 }), real.tenantId)).toMatchObject({ call_records: 0, cdrs: 0, webhook_audit: 0 });
      expect(await counts(t, real.tenantId)).toEqual(before);
      const purged = forTenant(await t.runtime.services.retention.runOnce({ now: endedAt + 30 * DAY + 1000 }), real.tenantId);
      expect(purged).toMatchObject(before);
      expect(await counts(t, real.tenantId)).toEqual({ call_records: 0, call_events: 0, cdrs: 0, webhook_audit: 0 });
    });

    it('keeps answering voice webhooks while it deletes 20,000 rows in batches', async () => {
      const busy = await registerTenant(t, 'busy');
      const secret = await webhookSecret(t, busy.admin.token);
      await seedAudit(t, busy.tenantId, NOW - 40 * DAY, 20_000);
      let done = false;
      const purge = t.runtime.services.retention.runOnce({ now: NOW }).finally(() => {
        done = true;
      });
      const answers: { status: number; body: string; duringPurge: boolean }[] = [];
      // Waves of concurrent calls until the purge ends (and at least four waves).
      for (let wave = 0; !done || wave < 4; wave++) {
        const wave5 = await Promise.all(
          Array.from({ length: 5 }, () => t.request({ method: 'POST', url: `/api/voice/application/${busy.domain}?token=${secret}`, payload: voiceBody(busy.domain, newSession()) })),
        );
        const during = !done;
        answers.push(...wave5.map((r) => ({ status: r.statusCode, body: r.body, duringPurge: during })));
      }
      const results = await purge;
      expect(forTenant(results, busy.tenantId)).toMatchObject({ webhook_audit: 20_000 });
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(parseCxml(a.body)).toHaveProperty('Hangup');
      }
      // Answers came back between batches, not only after the purge let go of the database.
      expect(answers.filter((a) => a.duringPurge).length).toBeGreaterThanOrEqual(5);
      await t.runtime.services.routing.audit.flush();
      expect((await counts(t, busy.tenantId)).webhook_audit).toBe(answers.length);
    });

    it('the daily timer runs on one instance: the one holding the plane lock', async () => {
      const daily = await registerTenant(t, 'daily');
      await seedAudit(t, daily.tenantId, Date.now() - 60 * DAY, 3);
      // A second instance: same database, same plane, its own timer.
      const other = createRetentionService({ store: t.runtime.store, plane: t.runtime.plane, clock: Date.now, logger: createLogger('silent') });
      const stop = t.runtime.services.retention.startDaily({ firstRunAfterMs: 10, checkEveryMs: 60_000 });
      try {
        await waitFor(async () => (await counts(t, daily.tenantId)).webhook_audit === 0);
        // The lock stays taken for most of a day, so a second instance does not purge again.
        await seedAudit(t, daily.tenantId, Date.now() - 60 * DAY, 2);
        const stopOther = other.startDaily({ firstRunAfterMs: 10, checkEveryMs: 20 });
        await new Promise((r) => setTimeout(r, 200));
        await stopOther();
        expect((await counts(t, daily.tenantId)).webhook_audit).toBe(2);
        expect(await t.runtime.plane.tryLock(RETENTION_LOCK_KEY, 1000)).toBeNull();
      } finally {
        await stop();
      }
    });
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A SQLite file the CLI process can open too. */
function fileSqlite(dir: string): TestDialect {
  return { name: 'sqlite', createDatabase: async () => ({ url: `sqlite:${join(dir, 'cli.sqlite')}`, drop: async () => {} }) };
}

describe('sqlite: retention command', () => {
  it('`retention` purges now and prints what it removed per tenant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vlb-retention-'));
    const appKey = randomBytes(32).toString('hex');
    try {
      const t = await createTestApp(fileSqlite(dir), { APP_KEY: appKey });
      let tenant: TenantActors;
      try {
        tenant = await registerTenant(t, 'cli');
        await seedCall(t, tenant.tenantId, Date.now() - 45 * DAY);
        await seedCall(t, tenant.tenantId, Date.now() - 31 * DAY);
        await seedCall(t, tenant.tenantId, Date.now() - 2 * DAY);
      } finally {
        await t.close();
      }
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'retention'], {
        env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'cli.sqlite')}`, APP_KEY: appKey, DATA_DIR: dir, LOG_LEVEL: 'warn', REDIS_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code, err).toBe(0);
      expect(out).toContain(`tenant ${tenant.tenantId} ${tenant.domain} (older than 30 days): removed 2 call records, 4 call events, 2 CDRs, 2 webhook audit rows`);
      expect(out).toContain('requests for unknown domains (older than 30 days): removed 0 call records');
      expect(out).toContain('10 rows removed in total');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
