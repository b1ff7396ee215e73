import { syntheticCalls, type SyntheticAgent, type SyntheticCall } from '../../core/synthetic/synthetic-calls.js';
import type { Store } from '../../store/database.js';
import { writeJson } from '../../store/json-column.js';
import type { Rollups } from '../analytics/rollups.js';
import type { Clock } from '../clock.js';

const BATCH = 500;

export interface SeedResult {
  calls: number;
  cdrs: number;
  agents: number;
  groups: number;
}

/**
 * Fills a tenant with synthetic calls and their CDRs, in batches, then rebuilds
 * its analytics roll-ups. Agents and groups are created when the tenant has none.
 */
export async function seedCalls(
  deps: { store: Store; rollups: Rollups; clock: Clock },
  tenantId: number,
  count: number,
  options: { days?: number; seed?: number; onProgress?: (done: number) => void } = {},
): Promise<SeedResult> {
  const { db, dialect } = deps.store;
  const now = deps.clock();
  let agents = (await db.selectFrom('voice_agents').select('id').where('tenant_id', '=', tenantId).execute()).map((r) => Number(r.id));
  let groups = 0;
  const membership = new Map<number, number>();
  if (agents.length === 0) {
    const providers = ['vapi', 'retell', 'elevenlabs', 'synthflow', 'dasha', 'ultravox'];
    agents = [];
    for (const [i, provider] of providers.entries()) {
      agents.push(await dialect.insertId(db, 'voice_agents', { tenant_id: tenantId, name: `Demo ${provider} agent`, provider, service_value: `+1212555${String(9000 + i)}`, username_sealed: null, password_sealed: null, enabled: 1, max_concurrent_calls: 10, description: 'Synthetic agent for demos', metadata: null, health_status: 'healthy', created_at: now, updated_at: now }));
    }
    for (const [g, name] of ['Sales line', 'Support line'].entries()) {
      const groupId = await dialect.insertId(db, 'agent_groups', { tenant_id: tenantId, name, strategy: g === 0 ? 'round_robin' : 'load_balanced', settings: writeJson({ max_attempts: 3, fallback_enabled: true, failover_on_busy: false, ...(g === 1 ? { window_hours: 24 } : {}) }), enabled: 1, created_at: now, updated_at: now });
      groups += 1;
      for (const agentId of agents.slice(g * 3, g * 3 + 3)) {
        await db.insertInto('agent_group_memberships').values({ tenant_id: tenantId, group_id: groupId, agent_id: agentId, priority: 1, capacity: 1, created_at: now, updated_at: now }).execute();
        membership.set(agentId, groupId);
      }
    }
  } else {
    for (const m of await db.selectFrom('agent_group_memberships').select(['agent_id', 'group_id']).where('tenant_id', '=', tenantId).execute()) membership.set(Number(m.agent_id), Number(m.group_id));
  }
  const pool: SyntheticAgent[] = agents.map((id) => ({ id, groupId: membership.get(id) ?? null }));

  let done = 0;
  let batch: SyntheticCall[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    await db
      .insertInto('call_records')
      .values(batch.map((c) => ({ tenant_id: tenantId, session_token: c.sessionToken, direction: c.direction, from_number: c.from, to_number: c.to, status: c.status, agent_id: c.agentId, group_id: c.groupId, rule_id: null, attempt: c.attempt, decision_trace: null, disposition: c.disposition, started_at: c.startedAt, answered_at: c.answeredAt, ended_at: c.endedAt, duration_seconds: c.durationSeconds, billsec: c.billsec, created_at: c.startedAt, updated_at: c.endedAt })))
      .execute();
    await db
      .insertInto('cdrs')
      .values(batch.map((c) => ({ tenant_id: tenantId, call_record_id: null, session_token: c.sessionToken, call_id: null, from_number: c.from, to_number: c.to, disposition: c.cdrDisposition, duration_seconds: c.durationSeconds, billsec: c.billsec, payload: writeJson({ synthetic: true, disposition: c.cdrDisposition }), received_at: c.endedAt })))
      .execute();
    done += batch.length;
    batch = [];
    options.onProgress?.(done);
  };
  for (const call of syntheticCalls(count, pool, now, options.days ?? 60, options.seed ?? Date.now() % 100_000)) {
    batch.push(call);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  await deps.rollups.rebuildTenant(tenantId);
  return { calls: done, cdrs: done, agents: agents.length, groups };
}
