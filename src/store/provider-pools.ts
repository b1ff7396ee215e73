import type { Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import type { ProviderPoolsTable } from './schema.js';

export type ProviderPoolRow = Selectable<ProviderPoolsTable>;
/** An agent as a pool lists it. */
export interface PoolAgentRow {
  id: number;
  name: string;
  provider: string;
  pool_id: number;
}

/** Provider-account pools of a tenant; every method takes the tenant id first. */
export function createProviderPoolStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<ProviderPoolRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'provider_pools', values);
    },
    findById(tenantId: number, id: number, trx = db): Promise<ProviderPoolRow | undefined> {
      return trx.selectFrom('provider_pools').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    /** Every pool of the tenant, by name (few per tenant: one per provider account). */
    listAll(tenantId: number, trx = db): Promise<ProviderPoolRow[]> {
      return trx.selectFrom('provider_pools').selectAll().where('tenant_id', '=', tenantId).orderBy('name').orderBy('id').execute();
    },
    /** Another pool of the tenant with this name (case-insensitive), if any. */
    findByName(tenantId: number, name: string, trx = db): Promise<{ id: number } | undefined> {
      return trx
        .selectFrom('provider_pools')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
        .executeTakeFirst();
    },
    /** The tenant's agents in a pool (all pools when `poolId` is omitted), by name. */
    async agentsIn(tenantId: number, poolId?: number, trx = db): Promise<PoolAgentRow[]> {
      let q = trx.selectFrom('voice_agents').select(['id', 'name', 'provider', 'pool_id']).where('tenant_id', '=', tenantId);
      q = poolId === undefined ? q.where('pool_id', 'is not', null) : q.where('pool_id', '=', poolId);
      const rows = await q.orderBy('name').orderBy('id').execute();
      return rows.map((r) => ({ id: Number(r.id), name: r.name, provider: r.provider, pool_id: Number(r.pool_id) }));
    },
    async update(tenantId: number, id: number, values: Updateable<ProviderPoolsTable>, trx = db): Promise<void> {
      await trx.updateTable('provider_pools').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async delete(tenantId: number, id: number, trx = db): Promise<void> {
      await trx.deleteFrom('provider_pools').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
  };
}
export type ProviderPoolStore = ReturnType<typeof createProviderPoolStore>;
