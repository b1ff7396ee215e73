import type { Store } from './database.js';

export interface RuleReference {
  id: number;
  name: string | null;
  pattern: string;
}

/** Inbound rules that send calls to an agent or a group: what stops that target from being deleted. */
export function createRuleReferenceStore({ db }: Store) {
  return {
    async inboundRulesTargeting(tenantId: number, targetType: 'agent' | 'group', targetId: number, trx = db): Promise<RuleReference[]> {
      const rows = await trx
        .selectFrom('inbound_routing_rules')
        .select(['id', 'name', 'pattern'])
        .where('tenant_id', '=', tenantId)
        .where('target_type', '=', targetType)
        .where('target_id', '=', targetId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: Number(r.id), name: r.name, pattern: r.pattern }));
    },
  };
}
export type RuleReferenceStore = ReturnType<typeof createRuleReferenceStore>;
