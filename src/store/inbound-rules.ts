import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import type { Database, InboundRoutingRulesTable } from './schema.js';

export type InboundRuleRow = Selectable<InboundRoutingRulesTable>;
/** A rule with the name of the agent or group it sends calls to (null if that row is gone). */
export type InboundRuleWithTarget = InboundRuleRow & { target_name: string | null };

function withTargetName(trx: Kysely<Database>, tenantId: number) {
  return trx
    .selectFrom('inbound_routing_rules as r')
    .leftJoin('voice_agents as va', (j) => j.onRef('va.id', '=', 'r.target_id').onRef('va.tenant_id', '=', 'r.tenant_id').on('r.target_type', '=', 'agent'))
    .leftJoin('agent_groups as g', (j) => j.onRef('g.id', '=', 'r.target_id').onRef('g.tenant_id', '=', 'r.tenant_id').on('r.target_type', '=', 'group'))
    .selectAll('r')
    .select((eb) => eb.fn.coalesce('va.name', 'g.name').as('target_name'))
    .where('r.tenant_id', '=', tenantId);
}

/**
 * Inbound routing rules of a tenant; every method takes the tenant id first. `list` orders by
 * priority, position and id only: specificity comes from compiling the patterns, in `src/core`.
 */
export function createInboundRuleStore({ db, dialect }: Store) {
  return {
    /** Appends the rule after the tenant's others (position = max + 1); call it under `tenants.lock`. */
    async insert(tenantId: number, values: Omit<InboundRuleRow, 'id' | 'tenant_id' | 'position'>, trx = db): Promise<number> {
      const last = await trx
        .selectFrom('inbound_routing_rules')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      const position = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1;
      return dialect.insertId(trx, 'inbound_routing_rules', { ...values, tenant_id: tenantId, position });
    },
    findById(tenantId: number, id: number, trx = db): Promise<InboundRuleWithTarget | undefined> {
      return withTargetName(trx, tenantId).where('r.id', '=', id).executeTakeFirst();
    },
    list(tenantId: number, trx = db): Promise<InboundRuleWithTarget[]> {
      return withTargetName(trx, tenantId).orderBy('r.priority').orderBy('r.position').orderBy('r.id').execute();
    },
    async update(tenantId: number, id: number, values: Updateable<InboundRoutingRulesTable>, trx = db): Promise<void> {
      await trx.updateTable('inbound_routing_rules').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async delete(tenantId: number, id: number, trx = db): Promise<void> {
      await trx.deleteFrom('inbound_routing_rules').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    /** Sets position = index for each id; ids of other tenants are untouched. Run it in a transaction. */
    async reorder(tenantId: number, ids: readonly number[], trx: Kysely<Database>): Promise<void> {
      for (const [position, id] of ids.entries()) {
        await trx.updateTable('inbound_routing_rules').set({ position }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
      }
    },
  };
}
export type InboundRuleStore = ReturnType<typeof createInboundRuleStore>;
