import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OccupancyResponse } from '../../src/http/occupancy.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { dialedService, newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup, createInboundRule } from '../support/fixtures.js';
import { runTenantIsolationTests } from '../support/isolation-matrix.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect.name}: occupancy`, () => {
    let t: TestApp;
    let a: TenantActors;
    let b: TenantActors;
    let secret: string;
    let small: number;
    let big: number;
    let uncapped: number;
    let group: number;
    const sessions: string[] = [];

    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'occ');
      b = await registerTenant(t, 'occ-other');
      secret = await webhookSecret(t, a.admin.token);
      big = await createAgent(t, a.admin.token, { name: 'Sales bot', max_concurrent_calls: 2 });
      small = await createAgent(t, a.admin.token, { name: 'Support bot', max_concurrent_calls: 1 });
      uncapped = await createAgent(t, a.admin.token, { name: 'Spare bot' });
      group = await createGroup(t, a.admin.token, 'priority', [{ agent_id: big, priority: 1 }, { agent_id: small, priority: 2 }]);
      await createInboundRule(t, a.admin.token, { pattern: '+1212*', target_type: 'group', target_id: group });
    });
    afterAll(async () => t?.close());

    /** A call's voice request as Cloudonix sends it: the agent it dials holds a live slot until the call ends. */
    async function call(): Promise<string | null> {
      const s = newSession();
      sessions.push(s);
      const res = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}?token=${secret}`, payload: voiceBody(a.domain, s) });
      expect(res.statusCode).toBe(200);
      return dialedService(res.body)?.number ?? null;
    }
    const occupancy = async (token = a.analyst.token) => {
      const res = await t.request({ method: 'GET', url: '/api/occupancy', token });
      expect(res.statusCode).toBe(200);
      return res.json<OccupancyResponse>();
    };
    const agentOf = (o: OccupancyResponse, id: number) => o.agents.find((x) => x.agent_id === id)!;

    it('idle: nothing live, caps and the group’s capacity shown', async () => {
      const o = await occupancy();
      expect(agentOf(o, big)).toEqual({ agent_id: big, name: 'Sales bot', enabled: true, live_calls: 0, max_concurrent_calls: 2, occupancy: 0, at_capacity: false });
      expect(agentOf(o, uncapped)).toMatchObject({ live_calls: 0, max_concurrent_calls: null, occupancy: null, at_capacity: false });
      expect(o.groups).toEqual([{ group_id: group, name: expect.any(String), enabled: true, agent_ids: [big, small], live_calls: 0, capacity: 3, occupancy: 0, at_capacity: false }]);
    });

    it('simulated calls fill the agents to their caps; the next call overflows to the fallback', async () => {
      const dialled = [await call()];
      let o = await occupancy();
      expect(agentOf(o, big)).toMatchObject({ live_calls: 1, occupancy: 0.5, at_capacity: false });
      dialled.push(await call(), await call());
      o = await occupancy();
      expect(agentOf(o, big)).toMatchObject({ live_calls: 2, max_concurrent_calls: 2, occupancy: 1, at_capacity: true });
      expect(agentOf(o, small)).toMatchObject({ live_calls: 1, max_concurrent_calls: 1, occupancy: 1, at_capacity: true });
      expect(o.groups[0]).toMatchObject({ live_calls: 3, capacity: 3, occupancy: 1, at_capacity: true });
      expect(dialled.every((n) => n !== null)).toBe(true);
      // Every member is full: this call gets the tenant's fallback, and no slot.
      expect(await call()).toBeNull();
      expect(agentOf(await occupancy(), big).live_calls).toBe(2);
      // Another tenant sees none of it.
      const other = await occupancy(b.analyst.token);
      expect(other.agents).toEqual([]);
      expect(other.groups).toEqual([]);
    });

    it('an ended call frees its slot', async () => {
      const s = sessions[0]!;
      const cdr = await t.request({ method: 'POST', url: `/api/voice/session/cdr/${a.domain}?token=${secret}`, payload: { disposition: 'ANSWER', duration: 20, billsec: 18, session: { token: s } } });
      expect(cdr.statusCode).toBeLessThan(300);
      const o = await occupancy();
      expect(agentOf(o, big)).toMatchObject({ live_calls: 1, occupancy: 0.5, at_capacity: false });
      expect(o.groups[0]).toMatchObject({ live_calls: 2, at_capacity: false });
    });

    it('is typed in the OpenAPI document', async () => {
      const doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
      const schema = doc.paths['/api/occupancy'].get.responses['200'].content['application/json'].schema;
      expect(Object.keys(schema.properties)).toEqual(['at', 'agents', 'groups', 'pools']);
    });

    describe('isolation matrix', () => {
      runTenantIsolationTests(() => ({ t, a, b, ids: {} }), [{ method: 'GET', url: () => '/api/occupancy', scope: 'own', access: 'read' }]);
    });
  });
}
