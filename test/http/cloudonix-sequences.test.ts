import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replaySequence } from '../../src/cli/sequence-replay.js';
import type { MetricsView } from '../../src/core/schemas/analytics.js';
import type { VoiceAgentListResponse } from '../../src/http/voice-agents.js';
import { registerTenant } from '../support/actors.js';
import { DIALECTS } from '../support/backends.js';
import { newSession, webhookSecret } from '../support/cloudonix.js';
import { injectSender, loadSequences, setUpSequence } from '../support/cloudonix-sequences.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const sequences = loadSequences();

/**
 * Real Cloudonix call sequences (test/fixtures/cloudonix, each naming the public
 * material it follows) replayed through the webhooks on every backend: each step's
 * answer, then the call's final record, its CDRs, the agents' health, the live
 * slots and the analytics are checked.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect.name}: real Cloudonix call sequences`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(dialect);
    });
    afterAll(async () => t?.close());

    it('has the sequences the lifecycle is judged by', () => {
      expect(sequences.map((s) => s.file)).toEqual(
        expect.arrayContaining(['first-leg-fails-second-answers.json', 'failure-update-then-connected.json', 'unknown-disposition.json', 'reordered-and-repeated.json', 'caller-hangs-up-three-times.json', 'websocket-agent.json', 'x-cx-apikey-only.json']),
      );
    });

    for (const { file, sequence } of sequences) {
      it(`${file}: ${sequence.name}`, async () => {
        const a = await registerTenant(t, 'replay');
        const secret = await webhookSecret(t, a.admin.token);
        const { agents, targets } = await setUpSequence(t, a, sequence);
        const send = injectSender(t);
        const sessions: { session: string; t0: number }[] = [];
        for (let call = 0; call < sequence.calls; call++) {
          // The call started a few minutes ago, so its times are in the past but (almost always) today.
          const t0 = Date.now() - 5 * 60_000;
          const session = newSession();
          sessions.push({ session, t0 });
          const played = await replaySequence(sequence, { domain: a.domain, secret, session, t: t0, send, agentTargets: targets });
          for (const p of played) expect(p.mismatches, `${file} step ${p.index + 1} (${p.step.send})`).toEqual([]);
        }

        const e = sequence.expect;
        if (!e) return;
        const db = t.runtime.store.db;
        for (const { session, t0 } of sessions) {
          const r = await db.selectFrom('call_records').selectAll().where('tenant_id', '=', a.tenantId).where('session_token', '=', session).executeTakeFirstOrThrow();
          const since = (v: number | null) => (v === null ? null : Number(v) - t0);
          expect({ status: r.status, reason: r.outcome_reason, agent: r.agent_id === null ? null : Number(r.agent_id) }, file).toEqual({ status: e.status, reason: e.reason, agent: e.agent === null ? null : agents[e.agent] });
          if (e.billsec !== undefined) expect(r.billsec === null ? null : Number(r.billsec), `${file} billsec`).toBe(e.billsec);
          if (e.duration_seconds !== undefined) expect(r.duration_seconds === null ? null : Number(r.duration_seconds), `${file} duration`).toBe(e.duration_seconds);
          if (e.answered_at !== undefined) expect(since(r.answered_at), `${file} answered_at`).toBe(e.answered_at);
          if (e.ended_at !== undefined) expect(since(r.ended_at), `${file} ended_at`).toBe(e.ended_at);
          if (e.disposition !== undefined) expect(r.disposition, `${file} disposition`).toBe(e.disposition);
          if (e.direction !== undefined) expect(r.direction).toBe(e.direction);
          if (e.cloudonix_direction !== undefined) expect(r.cloudonix_direction).toBe(e.cloudonix_direction);
          if (e.from !== undefined) expect(r.from_number).toBe(e.from);
          if (e.to !== undefined) expect(r.to_number).toBe(e.to);
          if (e.cdrs !== undefined) expect(await t.runtime.services.repos.cdrs.listForSession(a.tenantId, session), `${file} CDRs stored`).toHaveLength(e.cdrs);
        }

        // Every call of the file ended: no agent holds a slot, none is live.
        const agentIds = Object.values(agents);
        expect(await t.runtime.plane.slotCounts(agentIds.map((id) => `t:${a.tenantId}:a:${id}:live-calls`), Date.now()), `${file} live slots`).toEqual(agentIds.map(() => 0));
        expect((await t.runtime.services.liveCalls.active(a.tenantId, {})).data).toEqual([]);

        if (e.health) {
          const list = (await t.request({ method: 'GET', url: '/api/voice-agents', token: a.admin.token })).json<VoiceAgentListResponse>().data;
          for (const [key, health] of Object.entries(e.health)) expect(list.find((x) => x.id === agents[key])?.health_status, `${file} health of ${key}`).toBe(health);
        }

        // The dashboard's numbers equal an independent count of the records.
        await t.runtime.services.rollups.flush();
        const metrics = (await t.request({ method: 'GET', url: '/api/analytics/metrics', token: a.analyst.token })).json<MetricsView>();
        const count = async (statuses?: string[]) => {
          let q = db.selectFrom('call_records').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', a.tenantId);
          if (statuses) q = q.where('status', 'in', statuses);
          return Number((await q.executeTakeFirstOrThrow()).n);
        };
        expect({ calls: metrics.total_calls, answered: metrics.answered_calls, active: metrics.active_calls }, `${file} analytics`).toEqual({ calls: await count(), answered: await count(['completed']), active: 0 });
        expect(metrics.total_calls).toBe(sequence.calls);
      });
    }
  });
}
