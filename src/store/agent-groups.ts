import type { Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import { containsInsensitive } from './like.js';
import type { AgentGroupsTable } from './schema.js';

export type AgentGroupRow = Selectable<AgentGroupsTable>;
export type AgentGroupListRow = AgentGroupRow & { member_count: number };

/** Agent groups of a tenant; every method takes the tenant id first. */
export function createAgentGroupStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<AgentGroupRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'agent_groups', values);
    },
    findById(tenantId: number, id: number, trx = db): Promise<AgentGroupRow | undefined> {
      return trx.selectFrom('agent_groups').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    },
    /** Every group of the tenant: the routing configuration cache loads them at once. */
    listAll(tenantId: number, trx = db): Promise<AgentGroupRow[]> {
      return trx.selectFrom('agent_groups').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
    },
    async list(
      tenantId: number,
      q: { page: number; perPage: number; search?: string | undefined; strategy?: string | undefined },
    ): Promise<{ rows: AgentGroupListRow[]; total: number }> {
      let base = db.selectFrom('agent_groups as g').where('g.tenant_id', '=', tenantId);
      if (q.search) {
        const needle = q.search;
        base = base.where((eb) => containsInsensitive(eb.ref('g.name'), needle));
      }
      if (q.strategy) base = base.where('g.strategy', '=', q.strategy);
      const [rows, count] = await Promise.all([
        base
          .selectAll('g')
          .select((eb) =>
            eb
              .selectFrom('agent_group_memberships as m')
              .select((e) => e.fn.countAll<number>().as('n'))
              .whereRef('m.group_id', '=', 'g.id')
              .where('m.tenant_id', '=', tenantId)
              .as('member_count'),
          )
          .orderBy('g.name')
          .orderBy('g.id')
          .limit(q.perPage)
          .offset((q.page - 1) * q.perPage)
          .execute(),
        base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { rows: rows.map((r) => ({ ...r, member_count: Number(r.member_count ?? 0) })), total: Number(count.n) };
    },
    async update(tenantId: number, id: number, values: Updateable<AgentGroupsTable>, trx = db): Promise<void> {
      await trx.updateTable('agent_groups').set(values).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    async delete(tenantId: number, id: number, trx = db): Promise<void> {
      await trx.deleteFrom('agent_groups').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
  };
}
export type AgentGroupStore = ReturnType<typeof createAgentGroupStore>;
