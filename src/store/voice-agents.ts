import type { Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import { containsInsensitive } from './like.js';
import type { VoiceAgentsTable } from './schema.js';

export type VoiceAgentRow = Selectable<VoiceAgentsTable>;

export interface VoiceAgentListQuery {
  page: number;
  perPage: number;
  search?: string | undefined;
  enabled?: boolean | undefined;
  provider?: string | undefined;
}


/** Voice agents of a tenant. Every method takes the tenant id first. */
export function createVoiceAgentStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<VoiceAgentRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'voice_agents', values);
    },
    findById(tenantId: number, id: number, trx = db): Promise<VoiceAgentRow | undefined> {
      return trx
        .selectFrom('voice_agents')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /** Every agent of the tenant: the routing configuration cache loads them at once. */
    listAll(tenantId: number, trx = db): Promise<VoiceAgentRow[]> {
      return trx.selectFrom('voice_agents').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
    },
    /**
     * Every agent of every tenant, with its tenant's domain and its cap: what the
     * /metrics scrape shows live calls against, in one query whatever the tenant count.
     */
    listCapacities() {
      return db
        .selectFrom('voice_agents')
        .innerJoin('tenants', 'tenants.id', 'voice_agents.tenant_id')
        .select(['voice_agents.id', 'voice_agents.tenant_id', 'tenants.domain', 'voice_agents.max_concurrent_calls'])
        .orderBy('voice_agents.id')
        .execute();
    },
    /** The tenant's agents among `ids`, in id order; ids of other tenants are silently left out. */
    async listByIds(tenantId: number, ids: readonly number[], trx = db): Promise<VoiceAgentRow[]> {
      if (ids.length === 0) return [];
      return trx
        .selectFrom('voice_agents')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .orderBy('id')
        .execute();
    },
    async list(tenantId: number, q: VoiceAgentListQuery): Promise<{ rows: VoiceAgentRow[]; total: number }> {
      let base = db.selectFrom('voice_agents').where('tenant_id', '=', tenantId);
      if (q.search) {
        const needle = q.search;
        base = base.where((eb) =>
          eb.or([containsInsensitive(eb.ref('name'), needle), containsInsensitive(eb.ref('service_value'), needle)]),
        );
      }
      if (q.enabled !== undefined) base = base.where('enabled', '=', q.enabled ? 1 : 0);
      if (q.provider) base = base.where('provider', '=', q.provider);
      const [rows, count] = await Promise.all([
        base
          .selectAll()
          .orderBy('id')
          .limit(q.perPage)
          .offset((q.page - 1) * q.perPage)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows, total: Number(count.n) };
    },
    async update(tenantId: number, id: number, values: Updateable<VoiceAgentsTable>, trx = db): Promise<void> {
      await trx.updateTable('voice_agents').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    /**
     * Deletes the agent and its group memberships. The foreign key cascades too, but the
     * explicit delete keeps the outcome independent of SQLite's per-connection
     * `foreign_keys` pragma; call it inside a transaction.
     */
    async delete(tenantId: number, id: number, trx = db): Promise<boolean> {
      await trx.deleteFrom('agent_group_memberships').where('tenant_id', '=', tenantId).where('agent_id', '=', id).execute();
      const result = await trx.deleteFrom('voice_agents').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
export type VoiceAgentStore = ReturnType<typeof createVoiceAgentStore>;
