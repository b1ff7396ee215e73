import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRollups } from '../../src/services/analytics/rollups.js';
import { createLogger } from '../../src/services/logger.js';
import { createRepositories } from '../../src/store/index.js';
import { registerTenant, type TenantActors } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, voiceBody, webhookSecret } from '../support/cloudonix.js';
import { createAgent, createInboundRule } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Several instances keep the same day's roll-ups: each recomputes a day its calls touched, on the
 * same period. Two replacing one day at one moment used to end in a unique violation logged as an
 * error; the loser now goes again, and the day's figures stay those of the calls.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: roll-ups kept by several instances at once`, () => {
    let t: TestApp;
    let a: TenantActors;
    const CALLS = 12;

    beforeAll(async () => {
      t = await createTestApp(dialect);
      a = await registerTenant(t, 'rollrace');
      const secret = await webhookSecret(t, a.admin.token);
      const agent = await createAgent(t, a.admin.token);
      await createInboundRule(t, a.admin.token, { pattern: '*', target_type: 'agent', target_id: agent });
      for (let i = 0; i < CALLS; i++) {
        const res = await t.request({ method: 'POST', url: `/api/voice/application/${a.domain}`, headers: { authorization: `Bearer ${secret}` }, payload: voiceBody(a.domain, newSession()) });
        expect(res.statusCode).toBe(200);
      }
      await t.runtime.services.routing.audit.flush();
    });
    afterAll(async () => t?.close());

    it('four keepers flushing the same day together 15 times: no error, every call counted once', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
          done();
        },
      });
      const repos = createRepositories(t.runtime.store);
      const logger = createLogger('debug', sink);
      const keepers = Array.from({ length: 4 }, () => createRollups(repos, () => Date.now(), logger));
      const now = Date.now();
      try {
        for (let round = 0; round < 15; round++) {
          await Promise.all(keepers.map((k) => k.markCall(a.tenantId, now)));
          await Promise.all(keepers.map((k) => k.flush()));
        }
        // Whatever raced to the end of a round is still marked: one more flush each settles it.
        for (const k of keepers) await k.flush();
      } finally {
        await Promise.all(keepers.map((k) => k.close()));
      }
      expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
      const rows = await t.runtime.store.db.selectFrom('call_daily_rollups').selectAll().where('tenant_id', '=', a.tenantId).execute();
      expect(rows.reduce((sum, r) => sum + Number(r.calls), 0)).toBe(CALLS);
    });
  });
}
