import type { Store } from './database.js';

export interface RuleReference {
  id: number;
  name: string | null;
  pattern: string;
}

/** Inbound rules that send calls to an agent or a group: what stops that target from being deleted. */
export function createRuleReferenceStore({ db }: Store) {
  return {
    inboundRulesTargeting(tenantId: number, targetType: 'agent' | 'group', targetId: number): Promise<RuleReference[]> {
      return db
        .selectFrom('inbound_routing_rules')
        .select(['id', 'name', 'pattern'])
        .where('tenant_id', '=', tenantId)
        .where('target_type', '=', targetType)
        .where('target_id', '=', targetId)
        .orderBy('id')
        .execute();
    },
  };
}
export type RuleReferenceStore = ReturnType<typeof createRuleReferenceStore>;
