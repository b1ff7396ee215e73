import type { Store } from './database.js';
import { readJson } from './json-column.js';

export interface RuleReference {
  id: number;
  name: string | null;
  pattern: string;
}

type ArmTarget = { target?: { type?: unknown; id?: unknown } };

/** Inbound rules that send calls to an agent or a group, directly or as an arm of their split: what stops that target from being deleted. */
export function createRuleReferenceStore({ db }: Store) {
  return {
    async inboundRulesTargeting(tenantId: number, targetType: 'agent' | 'group', targetId: number, trx = db): Promise<RuleReference[]> {
      const rows = await trx
        .selectFrom('inbound_routing_rules')
        .select(['id', 'name', 'pattern', 'target_type', 'split'])
        .where('tenant_id', '=', tenantId)
        .where((eb) => eb.or([eb.and([eb('target_type', '=', targetType), eb('target_id', '=', targetId)]), eb('target_type', '=', 'split')]))
        .orderBy('id')
        .execute();
      // A split's arms are one JSON document: matched here rather than in each dialect's JSON syntax (a tenant has few splits).
      const targets = (r: (typeof rows)[number]) =>
        r.target_type !== 'split' || readJson<ArmTarget[] | null>(r.split, null)?.some((a) => a.target?.type === targetType && Number(a.target?.id) === targetId) === true;
      return rows.filter(targets).map((r) => ({ id: Number(r.id), name: r.name, pattern: r.pattern }));
    },
  };
}
export type RuleReferenceStore = ReturnType<typeof createRuleReferenceStore>;
