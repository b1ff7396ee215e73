import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planeKeys } from '../../src/services/plane-keys.js';
import { DIALECTS, TEST_REDIS_URL } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;

function tally(firsts: (number | undefined)[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const f of firsts) if (f !== undefined) out[f] = (out[f] ?? 0) + 1;
  return out;
}

const planes = [{ name: 'memory', env: {} as Record<string, string> }, ...(TEST_REDIS_URL ? [{ name: 'redis', env: { REDIS_URL: TEST_REDIS_URL } }] : [])];

for (const plane of planes) {
  describe(`${plane.name}: distribution`, () => {
    let t: TestApp;
    let a: TenantActors;
    let now = Date.UTC(2026, 10, 24, 12);
    beforeAll(async () => {
      t = await createTestApp(DIALECTS[0]!, plane.env, { clock: () => now });
      a = await registerTenant(t, 'dist');
    });
    afterAll(async () => t?.close());

    const agents = (n: number, over: Record<string, unknown> = {}) => Promise.all(Array.from({ length: n }, () => createAgent(t, a.admin.token, over)));
    const picks = async (groupId: number, n: number) =>
      tally((await Promise.all(Array.from({ length: n }, () => t.runtime.services.distribution.choose(a.tenantId, groupId)))).map((d) => d.candidates[0]));
    const toggle = (agentId: number) => t.request({ method: 'PATCH', url: `/api/voice-agents/${agentId}/toggle`, token: a.admin.token });

    it('3,000 concurrent round-robin picks over three equal agents: 1,000 each', async () => {
      const [x, y, z] = await agents(3);
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: x! }, { agent_id: y! }, { agent_id: z! }]);
      const counts = await picks(group, 3000);
      for (const id of [x!, y!, z!]) expect(Math.abs(counts[id]! - 1000)).toBeLessThanOrEqual(1);
    });

    it('capacities 1/2/3 share 3,000 picks as 500/1,000/1,500 (within 1%)', async () => {
      const [x, y, z] = await agents(3);
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: x!, capacity: 1 }, { agent_id: y!, capacity: 2 }, { agent_id: z!, capacity: 3 }]);
      const counts = await picks(group, 3000);
      expect(Math.abs(counts[x!]! - 500)).toBeLessThanOrEqual(5);
      expect(Math.abs(counts[y!]! - 1000)).toBeLessThanOrEqual(10);
      expect(Math.abs(counts[z!]! - 1500)).toBeLessThanOrEqual(15);
    });

    it('a disabled agent gets none, and its share again once re-enabled', async () => {
      const [x, y, z] = await agents(3);
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: x! }, { agent_id: y! }, { agent_id: z! }]);
      await toggle(y!);
      const off = await picks(group, 600);
      expect(off[y!]).toBeUndefined();
      expect(off[x!]! + off[z!]!).toBe(600);
      await toggle(y!);
      const on = await picks(group, 600);
      for (const id of [x!, y!, z!]) expect(Math.abs(on[id]! - 200)).toBeLessThanOrEqual(1);
    });

    it('priority: all to priority 1; toggled off, to priority 2; two at priority 1 split evenly', async () => {
      const [p1, p2, p1b] = await agents(3);
      const group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: p1!, priority: 1 }, { agent_id: p2!, priority: 2 }]);
      expect(await picks(group, 50)).toEqual({ [p1!]: 50 });
      const decision = await t.runtime.services.distribution.choose(a.tenantId, group);
      expect(decision.candidates).toEqual([p1, p2]);
      await toggle(p1!);
      expect(await picks(group, 50)).toEqual({ [p2!]: 50 });
      await toggle(p1!);
      await t.request({ method: 'POST', url: `/api/agent-groups/${group}/members`, token: a.admin.token, payload: { agent_id: p1b, priority: 1 } });
      expect(await picks(group, 100)).toEqual({ [p1!]: 50, [p1b!]: 50 });
    });

    it('load balanced: after a skewed history, new calls go to the least loaded until even; the window expires', async () => {
      const [busy, idle] = await agents(2);
      const group = await createGroup(t, a.admin.token, 'load_balanced', [{ agent_id: busy! }, { agent_id: idle! }], { window_hours: 1 });
      // History: 20 calls went to the busy agent in the last hour.
      for (let i = 0; i < 20; i++) await t.runtime.plane.windowAdd(planeKeys.window(a.tenantId, group, busy!), now - 10 * 60_000, HOUR / 60, HOUR);
      const first20: number[] = [];
      for (let i = 0; i < 20; i++) first20.push((await t.runtime.services.distribution.choose(a.tenantId, group)).candidates[0]!);
      expect(first20.every((id) => id === idle)).toBe(true);
      const next: number[] = [];
      for (let i = 0; i < 10; i++) next.push((await t.runtime.services.distribution.choose(a.tenantId, group)).candidates[0]!);
      expect(tally(next)).toEqual({ [busy!]: 5, [idle!]: 5 }); // even load: they alternate
      // Two hours later the window is empty again: both count 0, the least recently chosen goes first.
      now += 2 * HOUR;
      const later = await t.runtime.services.distribution.choose(a.tenantId, group);
      expect(later.candidates[0]).toBe(next[next.length - 2]);
    });

    it('skips an agent at max_concurrent_calls; all at their cap gives an empty list', async () => {
      const [capped, free] = await agents(2, { max_concurrent_calls: 2 });
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: capped! }, { agent_id: free! }]);
      const d = t.runtime.services.distribution;
      expect(await d.occupySlot(a.tenantId, capped!, 'call-1', 2)).toBe(true);
      expect(await d.occupySlot(a.tenantId, capped!, 'call-2', 2)).toBe(true);
      expect(await d.occupySlot(a.tenantId, capped!, 'call-3', 2)).toBe(false);
      const decision = await d.choose(a.tenantId, group);
      expect(decision.candidates).toEqual([free]);
      expect(decision.skipped).toEqual([{ agentId: capped, reason: 'at_capacity' }]);
      await d.occupySlot(a.tenantId, free!, 'call-4', 2);
      await d.occupySlot(a.tenantId, free!, 'call-5', 2);
      expect((await d.choose(a.tenantId, group)).candidates).toEqual([]);
      await d.releaseSlot(a.tenantId, capped!, 'call-1');
      expect((await d.choose(a.tenantId, group)).candidates).toEqual([capped]);
    });

    it('an agent marked unhealthy is skipped, saying why', async () => {
      const [sick, well] = await agents(2);
      const group = await createGroup(t, a.admin.token, 'round_robin', [{ agent_id: sick! }, { agent_id: well! }]);
      await t.runtime.store.db.updateTable('voice_agents').set({ health_status: 'unhealthy' }).where('id', '=', sick!).execute();
      const decision = await t.runtime.services.distribution.choose(a.tenantId, group);
      expect(decision.candidates).toEqual([well]);
      expect(decision.skipped).toEqual([{ agentId: sick, reason: 'unhealthy' }]);
    });
  });
}

describe.runIf(TEST_REDIS_URL)('redis: distribution across four processes', () => {
  let t: TestApp;
  let a: TenantActors;
  const prefix = `vlbt:procs-${randomBytes(4).toString('hex')}:`;
  const env = { DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), 'vlb-procs-')), 'shared.sqlite')}`, APP_KEY: randomBytes(32).toString('hex'), REDIS_URL: TEST_REDIS_URL ?? '' };
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!, env, { redisKeyPrefix: prefix });
    a = await registerTenant(t, 'procs');
  });
  afterAll(async () => t?.close());

  /** A long-lived worker process; `ask` sends one command and resolves with its answer line. */
  function startWorker(): Promise<{ ask: (line: string) => Promise<Record<number, number>>; stop: () => void }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/pick-worker.ts'], {
      env: { PATH: process.env.PATH ?? '', ...env, PLANE_PREFIX: prefix, LOG_LEVEL: 'silent' },
    });
    const waiting: ((line: string) => void)[] = [];
    let buffer = '';
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      buffer += c.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        waiting.shift()?.(line);
      }
    });
    const next = () => new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${err}`)));
    });
    return next().then(() => ({
      ask: (line: string) => {
        const answer = next();
        child.stdin.write(`${line}\n`);
        return answer.then((l) => JSON.parse(l) as Record<number, number>);
      },
      stop: () => child.stdin.end(),
    }));
  }

  let workers: Awaited<ReturnType<typeof startWorker>>[] = [];
  afterAll(() => workers.forEach((w) => w.stop()));

  async function fourProcesses(groupId: number, total: number): Promise<Record<number, number>> {
    if (workers.length === 0) workers = await Promise.all([0, 1, 2, 3].map(() => startWorker()));
    const parts = await Promise.all(workers.map((w) => w.ask(`${a.tenantId} ${groupId} ${total / 4}`)));
    const sum: Record<number, number> = {};
    for (const p of parts) for (const [k, v] of Object.entries(p)) sum[Number(k)] = (sum[Number(k)] ?? 0) + v;
    return sum;
  }

  it('3,000 concurrent round-robin picks from four processes: 1,000 ± 1 each; capacities 1/2/3 within 1%; disabled gets none', async () => {
    const ids = await Promise.all([0, 1, 2].map(() => createAgent(t, a.admin.token)));
    const equal = await createGroup(t, a.admin.token, 'round_robin', ids.map((agent_id) => ({ agent_id })));
    const even = await fourProcesses(equal, 3000);
    for (const id of ids) expect(Math.abs(even[id]! - 1000)).toBeLessThanOrEqual(1);

    const weighted = await createGroup(t, a.admin.token, 'round_robin', ids.map((agent_id, i) => ({ agent_id, capacity: i + 1 })));
    const byCapacity = await fourProcesses(weighted, 3000);
    [500, 1000, 1500].forEach((expected, i) => expect(Math.abs(byCapacity[ids[i]!]! - expected)).toBeLessThanOrEqual(expected / 100));

    await t.request({ method: 'PATCH', url: `/api/voice-agents/${ids[1]}/toggle`, token: a.admin.token });
    const without = await fourProcesses(equal, 1200);
    expect(without[ids[1]!]).toBeUndefined();
    expect(without[ids[0]!]! + without[ids[2]!]!).toBe(1200);
    await t.request({ method: 'PATCH', url: `/api/voice-agents/${ids[1]}/toggle`, token: a.admin.token });
    const back = await fourProcesses(equal, 1200);
    for (const id of ids) expect(Math.abs(back[id]! - 400)).toBeLessThanOrEqual(1);
  });
});
