import { invalidFields } from '../core/errors.js';
import { reorderProblem } from '../core/routing/order-rules.js';
import type { RuleListQuery } from '../core/schemas/routing-rules.js';
import type { Plane } from '../plane/plane.js';
import type { Logger } from './logger.js';
import { RULES_CHANGED } from './routing/rules-cache.js';
import { pageMeta, type PageMeta } from './views.js';

/** What the inbound and outbound rules services share: announcing a change, paging, and checking a reorder. */

/**
 * Announces a committed rule change. A failure is logged, not thrown: the change is already
 * committed, and failing the request would invite a retry that changes it twice.
 */
export async function publishRulesChanged(plane: Plane, logger: Logger, tenantId: number): Promise<void> {
  try {
    await plane.publish(RULES_CHANGED, JSON.stringify({ tenantId }));
  } catch (err) {
    logger.error({ err, tenantId }, 'could not announce a routing rule change; other instances keep their cached rules until they reload');
  }
}

/** The list is the evaluation order, so it comes whole unless the client asks for a page. */
export function pageOfRules<T>(ordered: readonly T[], q: Partial<RuleListQuery>): { data: T[]; meta: PageMeta } {
  const page = q.page ?? 1;
  const perPage = q.per_page ?? Math.max(1, ordered.length);
  return { data: ordered.slice((page - 1) * perPage, page * perPage), meta: pageMeta(page, perPage, ordered.length) };
}

/** 422 naming `ids` unless they are exactly the tenant's rule ids, each once. */
export function assertPermutation(ids: readonly number[], existing: readonly number[]): void {
  const problem = reorderProblem(ids, existing);
  if (problem) throw invalidFields({ ids: [problem] });
}
