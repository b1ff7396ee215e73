import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { DIALECTS, TEST_REDIS_URL, type TestDatabase, type TestDialect } from '../support/backends.js';
import { newSession, parseCxml, voiceBody } from '../support/cloudonix.js';
import { startPrivateRedis, type PrivateRedis } from '../support/private-redis.js';
import { startServe, type ServeChild } from '../support/serve-child.js';

const CALLS = 160;
const CONCURRENCY = 8;
/** Between one worker's calls, and between a call's webhooks: ~50 calls a second, so the load spans the drain and the close. */
const CALL_GAP_MS = 120;
const STEP_GAP_MS = 15;
/** The SIGTERM goes out once this many calls have been answered. */
const SIGNAL_AFTER_CALLS = 30;
const DRAIN_MS = 800;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type WebhookKind = 'voice_application' | 'session_update' | 'cdr';

/** What the senders saw: every answer (status), every request that found no server, and what was acknowledged. */
interface Tally {
  acknowledged: { kind: WebhookKind; session: string; at: number }[];
  refused: number;
  retried: number;
  unexpected: string[];
}

interface Probe {
  at: number;
  ready: number | 'refused';
  up: number | 'refused';
}

interface Backend {
  label: string;
  dialect: TestDialect;
  redis: boolean;
}

const postgres = DIALECTS.find((d) => d.name === 'postgres');
const BACKENDS: Backend[] = [
  ...DIALECTS.map((dialect) => ({ label: dialect.name, dialect, redis: false })),
  // Scaled mode: the production pairing, PostgreSQL and Redis (a Redis of the test's own, so nobody else's keys are touched).
  ...(TEST_REDIS_URL ? [{ label: `${postgres?.name ?? 'sqlite'}+redis`, dialect: postgres ?? DIALECTS[0]!, redis: true }] : []),
];

async function api(base: string, method: string, path: string, token: string | null, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A tenant with three agents in a round-robin group that every inbound call goes to, set up over the API. */
async function setUpTenant(base: string): Promise<{ domain: string; secret: string; token: string }> {
  const s = randomBytes(4).toString('hex');
  const domain = `restart-${s}.cloudonix.net`;
  const password = `restart-pass-${s}`;
  const { token } = (await api(base, 'POST', '/api/auth/register', null, { name: 'Admin', email: `admin-${s}@restart.test`, password, password_confirmation: password, tenant_name: 'Restart', domain })) as { token: string };
  const group = (await api(base, 'POST', '/api/agent-groups', token, { name: 'Agents', strategy: 'round_robin', settings: {} })) as { id: number };
  for (let i = 0; i < 3; i++) {
    const agent = (await api(base, 'POST', '/api/voice-agents', token, { name: `Agent ${i}`, provider: 'vapi', service_value: `+121255520${10 + i}` })) as { id: number };
    await api(base, 'POST', `/api/agent-groups/${group.id}/members`, token, { agent_id: agent.id });
  }
  await api(base, 'POST', '/api/inbound-routing-rules', token, { pattern: '*', target_type: 'group', target_id: group.id });
  const { webhook_secret: secret } = (await api(base, 'GET', '/api/tenant', token)) as { webhook_secret: string };
  return { domain, secret, token };
}

/** A dashboard's socket, open and authenticated; resolves how it was closed. */
async function openDashboard(base: string, token: string): Promise<{ closed: Promise<number> }> {
  const socket = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${encodeURIComponent(token)}`);
  const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)));
  await new Promise<void>((ready, fail) => {
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { event?: string }).event === 'ready') ready();
    });
    socket.once('error', fail);
  });
  // In an object: an async function returning the promise itself would wait for it.
  return { closed };
}

for (const backend of BACKENDS) {
  describe(`${backend.label}: SIGTERM under load`, () => {
    let database: TestDatabase;
    let redis: PrivateRedis | undefined;
    let serve: ServeChild;
    const dataDir = mkdtempSync(join(tmpdir(), 'vlb-restart-'));

    beforeAll(async () => {
      database = await backend.dialect.createDatabase();
      if (backend.redis) redis = await startPrivateRedis();
      serve = await startServe({
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        APP_KEY: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'info',
        SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
        SHUTDOWN_TIMEOUT_MS: '20000',
        ...(redis ? { REDIS_URL: redis.url } : {}),
      });
    }, 120_000);

    afterAll(async () => {
      serve?.kill();
      await redis?.stop();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('drains (/ready 503, /up 200), finishes and flushes: every acknowledged webhook has its record once, CXML every time, exit 0, sockets closed with 1012', async () => {
      const { domain, secret, token } = await setUpTenant(serve.base);
      const dashboard = await openDashboard(serve.base, token);
      const tally: Tally = { acknowledged: [], refused: 0, retried: 0, unexpected: [] };
      let exited = false;
      let signalledAt = Infinity;
      void serve.exited.then(() => (exited = true));

      /** Sends one webhook as Cloudonix does (a 503 is resent); true once acknowledged, false when no server took it. */
      async function deliver(kind: WebhookKind, session: string, path: string, body: unknown): Promise<boolean> {
        for (let attempt = 0; attempt < 20; attempt++) {
          let res: Response;
          try {
            res = await fetch(`${serve.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: JSON.stringify(body) });
          } catch {
            tally.refused += 1; // no server, or a connection it closed: not acknowledged, the sender would go elsewhere
            return false;
          }
          const text = await res.text();
          if (res.status === 503 && kind !== 'voice_application') {
            tally.retried += 1;
            await sleep(100);
            continue;
          }
          if (res.status !== 200) {
            tally.unexpected.push(`${kind} ${res.status} ${text.slice(0, 160)}`);
            return false;
          }
          if (kind === 'voice_application') {
            try {
              if (!(res.headers.get('content-type') ?? '').includes('xml')) throw new Error(`content-type ${res.headers.get('content-type')}`);
              if (!('Dial' in parseCxml(text))) throw new Error('no Dial');
            } catch (err) {
              tally.unexpected.push(`voice answer not a Dial in CXML (${String(err)}): ${text.slice(0, 160)}`);
              return false;
            }
          }
          tally.acknowledged.push({ kind, session, at: Date.now() });
          return true;
        }
        tally.unexpected.push(`${kind} still 503 after 20 tries`);
        return false;
      }

      async function call(session: string): Promise<void> {
        const t0 = Date.now();
        if (!(await deliver('voice_application', session, `/api/voice/application/${domain}`, voiceBody(domain, session)))) return;
        await sleep(STEP_GAP_MS);
        const update = { eventId: `${session}-1`, token: session, status: 'connected', callStartTime: t0, callAnswerTime: t0 + 1000 };
        if (!(await deliver('session_update', session, `/api/voice/session/update/${domain}`, update))) return;
        await sleep(STEP_GAP_MS);
        await deliver('cdr', session, `/api/voice/session/cdr/${domain}`, { disposition: 'ANSWER', duration: 30, billsec: 29, session: { token: session, callStartTime: t0, callAnswerTime: t0 + 1000, callEndTime: t0 + 30_000 } });
      }

      // Readiness and liveness as a load balancer polls them, until the process is gone.
      const probes: Probe[] = [];
      const status = (url: string) => fetch(url).then((r) => r.status, () => 'refused' as const);
      const prober = (async () => {
        while (!exited) {
          const [ready, up] = await Promise.all([status(`${serve.base}/ready`), status(`${serve.base}/up`)]);
          probes.push({ at: Date.now(), ready, up });
          await sleep(20);
        }
      })();

      const sessions = Array.from({ length: CALLS }, () => newSession());
      let next = 0;
      let answered = 0;
      const workers = Array.from({ length: CONCURRENCY }, async () => {
        while (next < sessions.length && !exited) {
          await call(sessions[next++]!);
          answered += 1;
          await sleep(CALL_GAP_MS);
        }
      });
      const signaller = (async () => {
        while (answered < SIGNAL_AFTER_CALLS && !exited) await sleep(10);
        signalledAt = Date.now();
        serve.child.kill('SIGTERM');
      })();

      const exit = await serve.exited;
      await Promise.all([...workers, signaller, prober]);

      // The process: exit 0, and the shutdown's own account of its phases.
      expect(exit).toEqual({ code: 0, signal: null });
      const [done] = serve.logLines('shut down cleanly');
      expect(done, serve.output().slice(-3000)).toBeDefined();
      expect(await dashboard.closed).toBe(1012);

      // The answers: nothing but acknowledgements (and refusals once the listener was closed), CXML every time.
      expect(tally.unexpected).toEqual([]);
      const afterSignal = tally.acknowledged.filter((a) => a.at > signalledAt).length;
      expect(afterSignal, 'the load went on through the drain').toBeGreaterThan(0);

      // Readiness failed first, while the listener still answered (and /up said alive); then nothing answered.
      const firstNotReady = probes.find((p) => p.at > signalledAt && p.ready === 503);
      const firstRefused = probes.find((p) => p.ready === 'refused' || p.up === 'refused');
      expect(firstNotReady, JSON.stringify(probes.slice(-10))).toBeDefined();
      expect(firstRefused).toBeDefined();
      expect(firstNotReady!.at).toBeLessThan(firstRefused!.at);
      const drainingProbes = probes.filter((p) => p.at >= firstNotReady!.at && p.at < firstRefused!.at);
      expect(drainingProbes.every((p) => p.ready === 503 && p.up === 200), JSON.stringify(drainingProbes)).toBe(true);
      expect(probes.filter((p) => p.at < signalledAt).every((p) => p.ready === 200)).toBe(true);

      // The database, read directly once the process is gone: every acknowledged webhook's record, once.
      const store = openStore(database.url);
      try {
        const db = store.db;
        const records = await db.selectFrom('call_records').select('session_token').execute();
        const events = await db.selectFrom('call_events').select('event_id').where('event_type', '=', 'session.updated').execute();
        const cdrs = await db.selectFrom('cdrs').select('session_token').execute();
        const audited = await db.selectFrom('webhook_audit').select(['event_type', 'session_token']).where('status_code', '=', 200).execute();
        const count = (values: (string | null)[]) => values.reduce((m, v) => m.set(String(v), (m.get(String(v)) ?? 0) + 1), new Map<string, number>());
        const byKind = { voice_application: count(records.map((r) => r.session_token)), session_update: count(events.map((e) => e.event_id?.replace(/-1$/, '') ?? null)), cdr: count(cdrs.map((c) => c.session_token)) };
        const audit = count(audited.map((a) => `${a.event_type} ${a.session_token}`));
        const missing = tally.acknowledged.filter((a) => byKind[a.kind].get(a.session) !== 1).map((a) => `${a.kind} ${a.session}: ${byKind[a.kind].get(a.session) ?? 0} records`);
        const unaudited = tally.acknowledged.filter((a) => audit.get(`${a.kind} ${a.session}`) !== 1).map((a) => `${a.kind} ${a.session}: ${audit.get(`${a.kind} ${a.session}`) ?? 0} audit rows`);
        expect(missing).toEqual([]);
        expect(unaudited).toEqual([]);
        // Nothing recorded twice, acknowledged or not.
        expect([...byKind.voice_application.values(), ...byKind.cdr.values(), ...byKind.session_update.values()].filter((n) => n > 1)).toEqual([]);
        // The daily roll-ups (marked on every call write, recomputed in the background) were flushed too: they count every call.
        const rolledUp = await db.selectFrom('call_daily_rollups').select((eb) => eb.fn.sum<number | string>('calls').as('calls')).executeTakeFirst();
        expect(Number(rolledUp?.calls ?? 0)).toBe(records.length);

        const kinds = (k: WebhookKind) => tally.acknowledged.filter((a) => a.kind === k).length;
        console.log(
          `${backend.label} graceful restart: SIGTERM after ${SIGNAL_AFTER_CALLS} calls; acknowledged ${tally.acknowledged.length} (voice ${kinds('voice_application')}, session updates ${kinds('session_update')}, CDRs ${kinds('cdr')}), ${afterSignal} of them after the signal; ` +
            `refused (no listener) ${tally.refused}; 503 resent ${tally.retried}; records found: calls ${records.length}/${kinds('voice_application')}, session events ${events.length}/${kinds('session_update')}, CDRs ${cdrs.length}/${kinds('cdr')}, audit rows ${audited.length}/${tally.acknowledged.length}; ` +
            `/ready 503 ${firstNotReady!.at - signalledAt} ms after the signal, listener closed ${firstRefused!.at - signalledAt} ms after it, ${tally.acknowledged.filter((a) => a.at >= firstRefused!.at).length} answered after that (in flight); phases ${JSON.stringify({ drainedMs: done!.drainedMs, listenerClosedMs: done!.listenerClosedMs, flushedMs: done!.flushedMs, totalMs: done!.totalMs })}`,
        );
      } finally {
        await store.close();
      }
    }, 120_000);
  });
}
