import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, WebhookRequest } from '../../src/cli/simulate-http.js';
import { httpSender } from '../../src/cli/simulate-http.js';
import { runLoad } from '../../src/cli/simulate-load.js';
import { DEFAULT_MIX, SCENARIOS, type Scenario } from '../../src/cli/simulate-mix.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sqlite = DIALECTS[0]!;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The simulator as a user runs it, in its own process (the server lives in this one, so never spawnSync). */
function simulate(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/simulate.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('sqlite: webhook simulator', () => {
  let t: TestApp;
  let a: TenantActors;
  let url: string;
  let secret: string;
  const numbers = { vapi: '+12125557001', retell: '+12125557002' };

  beforeAll(async () => {
    t = await createTestApp(sqlite, { LOG_LEVEL: 'warn' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    a = await registerTenant(t, 'sim');
    const agents = [
      await createAgent(t, a.admin.token, { provider: 'vapi', service_value: numbers.vapi }),
      await createAgent(t, a.admin.token, { provider: 'retell', service_value: numbers.retell }),
    ];
    const group = await createGroup(t, a.admin.token, 'round_robin', agents.map((agent_id) => ({ agent_id })));
    await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'group', target_id: group });
    const tenant = await t.request({ method: 'GET', url: '/api/tenant', token: a.admin.token });
    secret = tenant.json<{ webhook_secret: string }>().webhook_secret;
    expect(secret).toBeTruthy();
  });
  afterAll(async () => t?.close());

  const base = () => ['--url', url, '--domain', a.domain, '--secret', secret];
  const record = (session: string) =>
    t.runtime.store.db.selectFrom('call_records').selectAll().where('tenant_id', '=', a.tenantId).where('session_token', '=', session).executeTakeFirst();
  const cdrs = (session: string) => t.runtime.store.db.selectFrom('cdrs').selectAll().where('tenant_id', '=', a.tenantId).where('session_token', '=', session).execute();

  it('flow plays a whole answered call: routed to an agent, completed with the given duration, CDR stored', async () => {
    const session = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const run = await simulate(['flow', ...base(), '--session', session, '--duration', '37']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const dialled = /voice-app 200 \S+ → (vapi|retell) (\+\d+) \(attempt 1\)/.exec(run.stdout);
    expect(dialled, run.stdout).not.toBeNull();
    expect(dialled![2]).toBe(numbers[dialled![1] as 'vapi' | 'retell']);
    expect(run.stdout).toMatch(/callback completed 200 .* → hangup/);
    expect(run.stdout).toContain('cdr ANSWER duration=37s');

    const row = await record(session);
    expect(row?.status).toBe('completed');
    expect(Number(row?.duration_seconds)).toBe(37);
    expect(row?.answered_at).not.toBeNull();
    const stored = await cdrs(session);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.disposition).toBe('ANSWER');
    expect(Number(stored[0]!.duration_seconds)).toBe(37);
  });

  it('flow with no-answer follows the failover to the other agent, then ends unanswered', async () => {
    const session = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
    const run = await simulate(['flow', ...base(), '--session', session, '--outcome', 'no-answer', '--method', 'post-form']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/callback no-answer 200 .* → (vapi|retell) \+\d+ \(attempt 2\)/);
    expect(run.stdout).toMatch(/callback no-answer 200 .* → hangup/);
    expect(run.stdout).toContain('cdr NOANSWER');
    const row = await record(session);
    expect(row?.status).toBe('no_answer');
    expect(await cdrs(session)).toHaveLength(1);
  });

  it('flow --replay plays a recorded Cloudonix sequence: the first agent fails, the second answers', async () => {
    const session = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
    const run = await simulate(['flow', ...base(), '--session', session, '--replay', 'test/fixtures/cloudonix/first-leg-fails-second-answers.json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('source: R-OPBX');
    expect(run.stdout).toMatch(/4\. callback 200 → (vapi|retell) \+\d+/);
    expect(run.stdout).toContain('every step answered as the file expects');
    expect(await record(session)).toMatchObject({ status: 'completed', outcome_reason: 'answered', billsec: 55 });
    expect(await cdrs(session)).toHaveLength(1);
    const missing = await simulate(['flow', ...base(), '--replay', 'test/fixtures/cloudonix/no-such-file.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no-such-file.json');
  });

  it('load --voice-only sends only the voice request of distinct sessions and prints latency percentiles', async () => {
    const before = await t.runtime.store.db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', a.tenantId).executeTakeFirstOrThrow();
    const run = await simulate(['load', ...base(), '--calls', '20', '--concurrency', '5', '--method', 'get', '--voice-only']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/requests: 20 {2}errors: 0/);
    expect(run.stdout).toContain('requests by kind: voice 20\n');
    expect(run.stdout).toMatch(/p99 \d+\.\d/);
    // Round robin over two agents: ten each.
    expect(run.stdout).toContain(`vapi ${numbers.vapi} ×10`);
    expect(run.stdout).toContain(`retell ${numbers.retell} ×10`);
    const after = await t.runtime.store.db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', a.tenantId).executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBe(20);
  });

  it('send prints status, content type and body; list shows the Cloudonix URLs', async () => {
    const sent = await simulate(['send', 'voice', ...base()]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toContain('content-type: application/xml');
    expect(sent.stdout).toContain('<Service provider=');
    const listed = await simulate(['list', '--domain', a.domain, '--secret', secret, '--url', url]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${url}/api/voice/application/${a.domain}?token=${secret}`);
    expect(listed.stdout).toContain(`${url}/api/voice/session/cdr/${a.domain}?token=${secret}`);
  });

  it('a wrong secret is a request failure (exit 1); bad usage exits 2 with a message', async () => {
    const denied = await simulate(['send', '--url', url, '--domain', a.domain, '--secret', 'wrong']);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain('401');
    const noDomain = await simulate(['flow', '--url', url]);
    expect(noDomain.code).toBe(2);
    expect(noDomain.stderr).toContain('--domain is required');
    const badOutcome = await simulate(['flow', ...base(), '--outcome', 'maybe']);
    expect(badOutcome.code).toBe(2);
    expect(badOutcome.stderr).toContain('--outcome must be one of');
    const badMix = await simulate(['load', ...base(), '--mix', 'answered=5,voicemail=1']);
    expect(badMix.code).toBe(2);
    expect(badMix.stderr).toContain('--mix: unknown scenario "voicemail"');
    const badSeed = await simulate(['load', ...base(), '--seed', 'x']);
    expect(badSeed.code).toBe(2);
    expect(badSeed.stderr).toContain('--seed must be');
    const unreachable = await simulate(['send', '--url', 'http://127.0.0.1:9', '--domain', a.domain]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/failed/);
  });
  /** Its own tenant: the failures load scripts put agents out of rotation, which the tests above must not see. */
  describe('load plays each call to its end', () => {
    let b: TenantActors;
    let bSecret: string;
    const SEED = 7;
    const CALLS = 60;

    beforeAll(async () => {
      b = await registerTenant(t, 'simload');
      const agents = [
        await createAgent(t, b.admin.token, { provider: 'vapi' }),
        await createAgent(t, b.admin.token, { provider: 'retell' }),
        await createAgent(t, b.admin.token, { provider: 'cloudonix', service_value: 'wss://agents.cloudonix.cloud/api/v1/agent-stream/cloudonix' }),
      ];
      const group = await createGroup(t, b.admin.token, 'round_robin', agents.map((agent_id) => ({ agent_id })), { max_attempts: 3 });
      await createInboundRule(t, b.admin.token, { pattern: '*', target_type: 'group', target_id: group });
      const tenant = await t.request({ method: 'GET', url: '/api/tenant', token: b.admin.token });
      bSecret = tenant.json<{ webhook_secret: string }>().webhook_secret;
    });

    /** `name 12, other 3` → {name: 12, other: 3} */
    const counts = (line: string | undefined): Record<string, number> =>
      Object.fromEntries((line ?? '').split(', ').filter((p) => p !== 'none').map((p) => [p.slice(0, p.lastIndexOf(' ')), Number(p.slice(p.lastIndexOf(' ') + 1))]));
    const lineAfter = (out: string, head: string) => out.split('\n').find((l) => l.startsWith(head))?.slice(head.length).split(';')[0];
    const sum = (c: Record<string, number>) => Object.values(c).reduce((x, y) => x + y, 0);

    it(`the CLI: ${CALLS} calls with --seed ${SEED}, every request 2xx, the scripted mix and the CDRs add up`, async () => {
      const run = await simulate(['load', '--url', url, '--domain', b.domain, '--secret', bSecret, '--calls', String(CALLS), '--concurrency', '6', '--seed', String(SEED)]);
      expect(run.code, run.stderr + run.stdout).toBe(0);
      expect(run.stdout).toContain(`seed ${SEED}`);
      const total = /calls: 60 {2}requests: (\d+) {2}errors: 0 /.exec(run.stdout);
      expect(total, run.stdout).not.toBeNull();
      const byKind = counts(lineAfter(run.stdout, 'requests by kind: '));
      expect(sum(byKind)).toBe(Number(total![1]));
      expect(byKind).toMatchObject({ voice: CALLS, cdr: CALLS });
      expect(byKind.callback).toBeGreaterThan(0);
      // Each call sends at least processing, ringing and the final update.
      expect(byKind.session).toBeGreaterThanOrEqual(3 * CALLS);

      const scripted = counts(lineAfter(run.stdout, 'scripted: '));
      // The mix's exact shares of 60 calls (60/10/8/10/7/5 → 36, 6, 4.8, 6, 4.2, 3; the largest remainder rounds up).
      expect(scripted).toEqual({ answered: 36, 'no-answer': 6, busy: 5, failover: 6, 'caller-hangup': 4, failed: 3 });
      expect(sum(scripted)).toBe(CALLS);
      expect(sum(counts(lineAfter(run.stdout, 'ended (CDR): ')))).toBe(CALLS);
      expect(run.stdout).toMatch(/voice request latency ms: p50 \d+\.\d {2}p95 \d+\.\d {2}p99 \d+\.\d/);
      expect(run.stdout).toMatch(/service: dials \d+, connects \d+, failovers \d+, hangups \d+/);
    });

    it('in process: every call is played in Cloudonix\'s order, with unique events and consistent times', async () => {
      const sent: { request: WebhookRequest; answer: Answer }[] = [];
      const http = httpSender({ base: url, domain: b.domain, secret: bSecret }, 'post-json');
      const result = await runLoad({
        target: { base: url, domain: b.domain, secret: bSecret },
        calls: CALLS,
        concurrency: 6,
        method: 'post-json',
        from: '+14155550123',
        to: '+12125550187',
        mix: DEFAULT_MIX,
        seed: SEED + 1,
        voiceOnly: false,
        send: async (request) => {
          const answer = await http(request);
          sent.push({ request, answer });
          return answer;
        },
      });
      expect(result.errors, result.firstError ?? '').toBe(0);
      expect(sent.filter((s) => s.answer.status < 200 || s.answer.status > 299)).toEqual([]);
      expect(sum(Object.fromEntries(result.scenarios))).toBe(CALLS);
      expect([...result.scenarios.keys()].every((k: Scenario) => SCENARIOS.includes(k))).toBe(true);
      expect(sum(Object.fromEntries(result.dispositions))).toBe(CALLS);
      expect(result.service.dials + result.service.connects).toBeGreaterThanOrEqual(CALLS - result.service.hangups);

      const sessionOf = (r: WebhookRequest): string => {
        const body = r.body as { Session?: string; token?: string; session?: { token: string } };
        return body.Session ?? body.token ?? body.session!.token;
      };
      const calls = new Map<string, WebhookRequest[]>();
      for (const { request } of sent) calls.set(sessionOf(request), [...(calls.get(sessionOf(request)) ?? []), request]);
      expect(calls.size).toBe(CALLS);

      const eventIds = new Set<unknown>();
      for (const requests of calls.values()) {
        expect(requests[0]!.kind).toBe('voice');
        expect(requests.at(-1)!.kind).toBe('cdr');
        const updates = requests.filter((r) => r.kind === 'session').map((r) => r.body);
        // Processing opens each leg; a call hung up on before any leg has only its final update.
        if (updates.length > 1) expect(updates[0]!.status).toBe('processing');
        const final = updates.at(-1)!;
        for (const u of updates) {
          eventIds.add(u.eventId);
          expect(u).toMatchObject({ domain: b.domain, callerId: '14155550123', destination: '12125550187' });
          expect('callEndTime' in u).toBe(u === final);
        }
        const record = requests.at(-1)!.body as { disposition: string; duration: number; billsec: number; session: { callStartTime: number; callAnswerTime: number | null; callEndTime: number } };
        expect(record.session.callEndTime).toBe(final.callEndTime);
        expect(record.duration).toBe(Math.round((record.session.callEndTime - record.session.callStartTime) / 1000));
        expect(record.billsec > 0).toBe(record.session.callAnswerTime !== null && record.session.callEndTime - record.session.callAnswerTime >= 500);
        expect(record.disposition === 'ANSWER').toBe(record.session.callAnswerTime !== null);
        for (const r of requests.filter((x) => x.kind === 'action')) {
          expect(['completed', 'no-answer', 'busy', 'failed', 'canceled']).toContain(r.body.DialCallStatus);
          expect(r.body.CallStatus).toBe(r.body.DialCallStatus);
        }
      }
      const updateCount = sent.filter((s) => s.request.kind === 'session').length;
      expect(eventIds.size).toBe(updateCount);
    });
  });
});
