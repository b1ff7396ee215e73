import type { Store } from './database.js';

/** Audit entity types whose rows have a name to show (the audit log's `entity_type` words). */
export const NAMED_ENTITY_TYPES = ['voice_agent', 'agent_group', 'provider_pool', 'inbound_rule', 'outbound_rule', 'user', 'invitation', 'tenant'] as const;
export type NamedEntityType = (typeof NAMED_ENTITY_TYPES)[number];

export function isNamedEntityType(type: string): type is NamedEntityType {
  return (NAMED_ENTITY_TYPES as readonly string[]).includes(type);
}

interface Named {
  id: number;
  name: string;
}

/**
 * Current names of a tenant's entities, by type and id, for showing audit rows with names
 * instead of ids. One query per type asked, whatever the number of ids; an id left out of
 * the answer no longer exists (every delete here is a hard delete).
 */
export function createEntityNameStore({ db }: Store) {
  const queries: Record<NamedEntityType, (tenantId: number, ids: number[]) => Promise<Named[]>> = {
    voice_agent: (t, ids) => db.selectFrom('voice_agents').select(['id', 'name']).where('tenant_id', '=', t).where('id', 'in', ids).execute(),
    agent_group: (t, ids) => db.selectFrom('agent_groups').select(['id', 'name']).where('tenant_id', '=', t).where('id', 'in', ids).execute(),
    provider_pool: (t, ids) => db.selectFrom('provider_pools').select(['id', 'name']).where('tenant_id', '=', t).where('id', 'in', ids).execute(),
    // A rule's name is optional; its pattern names it then.
    inbound_rule: async (t, ids) =>
      (await db.selectFrom('inbound_routing_rules').select(['id', 'name', 'pattern']).where('tenant_id', '=', t).where('id', 'in', ids).execute()).map((r) => ({
        id: r.id,
        name: r.name ?? r.pattern,
      })),
    outbound_rule: (t, ids) => db.selectFrom('outbound_routing_rules').select(['id', 'name']).where('tenant_id', '=', t).where('id', 'in', ids).execute(),
    user: (t, ids) => db.selectFrom('users').select(['id', 'name']).where('tenant_id', '=', t).where('id', 'in', ids).execute(),
    invitation: async (t, ids) =>
      (await db.selectFrom('invitations').select(['id', 'email']).where('tenant_id', '=', t).where('id', 'in', ids).execute()).map((r) => ({ id: r.id, name: r.email })),
    tenant: (t, ids) => db.selectFrom('tenants').select(['id', 'name']).where('id', '=', t).where('id', 'in', ids).execute(),
  };

  return {
    /** `type → (id → name)` for the ids that still exist. */
    async namesOf(tenantId: number, wanted: ReadonlyMap<NamedEntityType, ReadonlySet<number>>): Promise<Map<NamedEntityType, Map<number, string>>> {
      const out = new Map<NamedEntityType, Map<number, string>>();
      await Promise.all(
        [...wanted].map(async ([type, ids]) => {
          const rows = ids.size === 0 ? [] : await queries[type](tenantId, [...ids]);
          out.set(type, new Map(rows.map((r) => [Number(r.id), r.name])));
        }),
      );
      return out;
    },
  };
}
export type EntityNameStore = ReturnType<typeof createEntityNameStore>;
