import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('load sends distinct sessions and prints latency percentiles', async () => {
    const before = await t.runtime.store.db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', a.tenantId).executeTakeFirstOrThrow();
    const run = await simulate(['load', ...base(), '--calls', '20', '--concurrency', '5', '--method', 'get']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/requests: 20 {2}errors: 0/);
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
    const unreachable = await simulate(['send', '--url', 'http://127.0.0.1:9', '--domain', a.domain]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/failed/);
  });
});
