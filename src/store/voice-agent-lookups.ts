import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Questions about a tenant's agents that their own rows cannot answer: which have ever
 * had a call, and which other agents share a name or a target.
 */
export function createVoiceAgentLookups(db: Kysely<Database>) {
  return {
    /**
     * The agents among `ids` that a call record (or a day's roll-up, which outlives retention)
     * names. One EXISTS per agent on the (tenant_id, agent_id, started_at) index: cheap however many calls there are.
     */
    async withCalls(tenantId: number, ids: readonly number[], trx = db): Promise<Set<number>> {
      if (ids.length === 0) return new Set();
      const rows = await trx
        .selectFrom('voice_agents as a')
        .select('a.id')
        .where('a.tenant_id', '=', tenantId)
        .where('a.id', 'in', [...ids])
        .where((eb) =>
          eb.or([
            eb.exists(eb.selectFrom('call_records as r').select(sql`1`.as('one')).where('r.tenant_id', '=', tenantId).whereRef('r.agent_id', '=', 'a.id')),
            // calls > 0: incremental roll-ups leave a zeroed row behind when a call moves to another agent (a failover, a late CDR).
            eb.exists(eb.selectFrom('call_daily_rollups as d').select(sql`1`.as('one')).where('d.tenant_id', '=', tenantId).whereRef('d.agent_id', '=', 'a.id').where('d.calls', '>', 0)),
          ]),
        )
        .execute();
      return new Set(rows.map((r) => Number(r.id)));
    },

    /** Other agents of the tenant with this name, compared without case (names are stored trimmed). */
    async sameName(tenantId: number, name: string, exceptId: number | null, trx = db): Promise<{ id: number; name: string }[]> {
      let q = trx.selectFrom('voice_agents').select(['id', 'name']).where('tenant_id', '=', tenantId).where(sql`lower(name)`, '=', name.toLowerCase());
      if (exceptId !== null) q = q.where('id', '!=', exceptId);
      return (await q.orderBy('id').execute()).map((r) => ({ id: Number(r.id), name: r.name }));
    },

    /**
     * Other agents of the tenant that dial exactly this service value (a number or a URL), at any
     * provider: "vapi" and "vapi-udp" reach the same agent, so the provider does not tell them apart.
     */
    async sameTarget(tenantId: number, serviceValue: string, exceptId: number | null, trx = db): Promise<{ id: number; name: string; provider: string }[]> {
      let q = trx.selectFrom('voice_agents').select(['id', 'name', 'provider']).where('tenant_id', '=', tenantId).where('service_value', '=', serviceValue);
      if (exceptId !== null) q = q.where('id', '!=', exceptId);
      return (await q.orderBy('id').limit(10).execute()).map((r) => ({ id: Number(r.id), name: r.name, provider: r.provider }));
    },
  };
}
export type VoiceAgentLookups = ReturnType<typeof createVoiceAgentLookups>;
