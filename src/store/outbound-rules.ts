import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import type { Database, OutboundRoutingRulesTable } from './schema.js';

export type OutboundRuleRow = Selectable<OutboundRoutingRulesTable>;

/**
 * Outbound routing rules of a tenant; every method takes the tenant id first. `list` orders by
 * priority, position and id only: specificity comes from compiling the patterns, in `src/core`.
 */
export function createOutboundRuleStore({ db, dialect }: Store) {
  return {
    /** Appends the rule after the tenant's others (position = max + 1); call it under `tenants.lock`. */
    async insert(tenantId: number, values: Omit<OutboundRuleRow, 'id' | 'tenant_id' | 'position'>, trx = db): Promise<number> {
      const last = await trx
        .selectFrom('outbound_routing_rules')
        .select((eb) => eb.fn.max('position').as('p'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      const position = last?.p === null || last?.p === undefined ? 0 : Number(last.p) + 1;
      return dialect.insertId(trx, 'outbound_routing_rules', { ...values, tenant_id: tenantId, position });
    },
    findById(tenantId: number, id: number, trx = db): Promise<OutboundRuleRow | undefined> {
      return trx.selectFrom('outbound_routing_rules').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    list(tenantId: number, trx = db): Promise<OutboundRuleRow[]> {
      return trx
        .selectFrom('outbound_routing_rules')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('priority')
        .orderBy('position')
        .orderBy('id')
        .execute();
    },
    async update(tenantId: number, id: number, values: Updateable<OutboundRoutingRulesTable>, trx = db): Promise<void> {
      await trx.updateTable('outbound_routing_rules').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async delete(tenantId: number, id: number, trx = db): Promise<void> {
      await trx.deleteFrom('outbound_routing_rules').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    /** Sets position = index for each id; ids of other tenants are untouched. Run it in a transaction. */
    async reorder(tenantId: number, ids: readonly number[], trx: Kysely<Database>): Promise<void> {
      for (const [position, id] of ids.entries()) {
        await trx.updateTable('outbound_routing_rules').set({ position }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
      }
    },
  };
}
export type OutboundRuleStore = ReturnType<typeof createOutboundRuleStore>;
