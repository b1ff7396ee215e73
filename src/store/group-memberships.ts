import type { Selectable, Updateable } from 'kysely';
import type { Store } from './database.js';
import type { AgentGroupMembershipsTable } from './schema.js';

export type MembershipRow = Selectable<AgentGroupMembershipsTable>;

/** A membership joined with the agent facts that routing and the UI need. */
export interface MemberWithAgent {
  id: number;
  agent_id: number;
  priority: number;
  capacity: number;
  agent_name: string;
  provider: string;
  agent_enabled: number;
  health_status: string;
  max_concurrent_calls: number | null;
}

/** Which agents belong to which group, with priority and capacity. Tenant id first everywhere. */
export function createGroupMembershipStore({ db, dialect }: Store) {
  return {
    insert(values: Omit<MembershipRow, 'id'>, trx = db): Promise<number> {
      return dialect.insertId(trx, 'agent_group_memberships', values);
    },
    findById(tenantId: number, groupId: number, id: number, trx = db): Promise<MembershipRow | undefined> {
      return trx
        .selectFrom('agent_group_memberships')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('group_id', '=', groupId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /** Members in a stable order (priority, then agent id), with their agents; one query for the hot path. */
    listWithAgents(tenantId: number, groupId: number, trx = db): Promise<MemberWithAgent[]> {
      return trx
        .selectFrom('agent_group_memberships as m')
        .innerJoin('voice_agents as a', (j) => j.onRef('a.id', '=', 'm.agent_id').onRef('a.tenant_id', '=', 'm.tenant_id'))
        .select(['m.id', 'm.agent_id', 'm.priority', 'm.capacity'])
        .select(['a.name as agent_name', 'a.provider', 'a.enabled as agent_enabled', 'a.health_status', 'a.max_concurrent_calls'])
        .where('m.tenant_id', '=', tenantId)
        .where('m.group_id', '=', groupId)
        .orderBy('m.priority')
        .orderBy('m.agent_id')
        .execute();
    },
    /** Every membership of the tenant, by group, then as `listWithAgents` orders them. */
    listAll(tenantId: number, trx = db): Promise<MembershipRow[]> {
      return trx
        .selectFrom('agent_group_memberships')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .orderBy('group_id')
        .orderBy('priority')
        .orderBy('agent_id')
        .execute();
    },
    async update(tenantId: number, groupId: number, id: number, values: Updateable<AgentGroupMembershipsTable>, trx = db): Promise<void> {
      await trx
        .updateTable('agent_group_memberships')
        .set(values)
        .where('tenant_id', '=', tenantId)
        .where('group_id', '=', groupId)
        .where('id', '=', id)
        .execute();
    },
    async delete(tenantId: number, groupId: number, id: number, trx = db): Promise<void> {
      await trx
        .deleteFrom('agent_group_memberships')
        .where('tenant_id', '=', tenantId)
        .where('group_id', '=', groupId)
        .where('id', '=', id)
        .execute();
    },
  };
}
export type GroupMembershipStore = ReturnType<typeof createGroupMembershipStore>;
