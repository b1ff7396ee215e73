import { createHook } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createGroup } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sqlite = DIALECTS.find((d) => d.name === 'sqlite')!;

/**
 * Embedded mode decides a call without a promise per step (issue 23): with the tenant's rules and
 * configuration loaded, the memory plane answers every read and write of the decision at once. The
 * promises made between the voice request reaching the voice flow and the record's write are counted
 * (async_hooks), so a step that starts awaiting again cannot slip in unseen.
 */
describe('embedded: a routed call is decided without a promise per step', () => {
  let t: TestApp;
  let a: TenantActors;
  let secret: string;
  beforeAll(async () => {
    t = await createTestApp(sqlite);
    a = await registerTenant(t, 'sync-decision');
    secret = await webhookSecret(t, a.admin.token);
  });
  afterAll(async () => t?.close());

  for (const strategy of ['round_robin', 'priority', 'least_live', 'load_balanced'] as const) {
    it(`${strategy}: only answer-once's and its computation's two promises before the record is written`, async () => {
      const agents = [await createAgent(t, a.admin.token), await createAgent(t, a.admin.token)];
      const group = await createGroup(t, a.admin.token, strategy, agents.map((agent_id) => ({ agent_id })), { returning_callers: { enabled: true, ttl_minutes: 60 } });
      const pattern = `+1212${String(agents[0]).padStart(7, '0').slice(-7)}`;
      const rule = await t.request({ method: 'POST', url: '/api/inbound-routing-rules', token: a.admin.token, payload: { name: strategy, pattern, target_type: 'group', target_id: group } });
      expect(rule.statusCode).toBe(201);
      const send = () => t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, newSession(), { To: pattern }) });

      let promises = 0;
      const hook = createHook({ init: (_id, type) => void (type === 'PROMISE' && promises++) });
      const { voice, life } = t.runtime.services.routing;
      const applicationRequest = voice.applicationRequest;
      const routed = life.routed;
      let mark = 0;
      const counts: number[] = [];
      voice.applicationRequest = (ctx) => ((mark = promises), applicationRequest(ctx));
      life.routed = (...args) => (counts.push(promises - mark), routed(...args));
      try {
        // The first call loads the rules and the configuration; the next ones read them loaded.
        await send();
        hook.enable();
        for (let i = 0; i < 5; i++) expect((await send()).body).toContain('<Dial');
      } finally {
        hook.disable();
        voice.applicationRequest = applicationRequest;
        life.routed = routed;
      }
      expect(counts.slice(1)).toEqual([2, 2, 2, 2, 2]);
    });
  }
});
