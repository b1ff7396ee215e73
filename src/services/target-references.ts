import type { Kysely } from 'kysely';
import { AppError } from '../core/errors.js';
import type { Repositories } from '../store/index.js';
import type { RuleReference } from '../store/rule-references.js';
import type { Database } from '../store/schema.js';
import { readSettings } from './tenant-service.js';

function describeRules(rules: readonly RuleReference[]): string {
  return rules.map((r) => `${r.name ? `"${r.name}"` : `#${r.id}`} (pattern ${r.pattern})`).join(', ');
}

/**
 * Refuses (409) to remove an agent or group that calls are still sent to: by an
 * inbound rule, or as the tenant's fallback route. Call it inside the deleting
 * transaction, after `tenants.lock`, so a rule created meanwhile cannot slip past.
 */
export async function assertNotRoutedTo(
  repos: Repositories,
  tenantId: number,
  target: { type: 'agent' | 'group'; id: number },
  trx: Kysely<Database>,
): Promise<void> {
  const what = target.type === 'agent' ? 'agent' : 'group';
  const rules = await repos.ruleReferences.inboundRulesTargeting(tenantId, target.type, target.id, trx);
  if (rules.length > 0) {
    const many = rules.length > 1;
    throw new AppError(
      'conflict',
      `The ${what} is the target of inbound routing rule${many ? 's' : ''} ${describeRules(rules)}: point ${many ? 'them' : 'it'} elsewhere or delete ${many ? 'them' : 'it'} first.`,
      { rules },
    );
  }
  const tenant = await repos.tenants.findById(tenantId, trx);
  const fallback = tenant ? readSettings(tenant).fallback : undefined;
  const isFallback =
    (target.type === 'agent' && fallback?.type === 'agent' && fallback.agent_id === target.id) ||
    (target.type === 'group' && fallback?.type === 'group' && fallback.group_id === target.id);
  if (isFallback) {
    throw new AppError('conflict', `The ${what} is the tenant's fallback route: choose another fallback in the tenant settings first.`, { fallback });
  }
}
