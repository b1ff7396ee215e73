import { notFound, invalidFields } from '../../core/errors.js';
import type { SplitAnalyticsQuery, SplitAnalyticsView } from '../../core/schemas/split-analytics.js';
import type { TenantSettings } from '../../core/schemas/tenant.js';
import { armStats, DEFAULT_SHORT_CALL_SECONDS, MIN_CALLS_PER_ARM, verdictOf, type ArmCounts } from '../../core/splits/compare-arms.js';
import type { Store } from '../../store/database.js';
import type { Repositories } from '../../store/index.js';
import { createSplitAnalyticsStore } from '../../store/split-analytics.js';
import type { Clock } from '../clock.js';
import { armViews, storedArms } from '../split-arms.js';
import { readSettings } from '../tenant-service.js';

const DEFAULT_RANGE_MS = 30 * 86_400_000;

interface Deps {
  store: Store;
  repos: Repositories;
  clock: Clock;
}

/**
 * The seconds under which an answered call is short: the tenant's short-call health threshold
 * when it has turned that on (so the analytics and the health check agree), else 10 s.
 */
function shortSeconds(settings: TenantSettings | null): number {
  return settings?.health.short_calls_enabled ? settings.health.short_call_seconds : DEFAULT_SHORT_CALL_SECONDS;
}

/**
 * Per-arm analytics of a weighted split: calls, answer rate with its 95% interval, billsec
 * average and median, short-call share, and a plain verdict of whether the arms can be told
 * apart yet. Arms are the split's current ones, then any label its calls carry that it no
 * longer has (renamed or removed arms keep their history).
 */
export function createSplitAnalyticsService({ store, repos, clock }: Deps) {
  const calls = createSplitAnalyticsStore(store);

  return {
    async forRule(tenantId: number, q: SplitAnalyticsQuery): Promise<SplitAnalyticsView> {
      const rule = await repos.inboundRules.findById(tenantId, q.rule_id);
      if (!rule) throw notFound('Inbound routing rule');
      const current = rule.target_type === 'split' ? storedArms(rule.split) : null;
      const tenant = await repos.tenants.findById(tenantId);
      const to = q.to ? Date.parse(q.to) : clock();
      const from = q.from ? Date.parse(q.from) : to - DEFAULT_RANGE_MS;
      if (from >= to) throw invalidFields({ from: ['must be before to'] });
      const [counts, billsec, views] = await Promise.all([
        calls.counts(tenantId, q.rule_id, from, to),
        calls.billsec(tenantId, q.rule_id, from, to),
        current ? armViews(repos, tenantId, current, store.db) : Promise.resolve([]),
      ]);
      const labels = [...views.map((v) => v.label), ...counts.map((c) => c.variant).filter((l) => !views.some((v) => v.label === l))];
      const short = shortSeconds(tenant ? readSettings(tenant) : null);
      const stats = labels.map((label) => {
        const c = counts.find((x) => x.variant === label);
        const armCounts: ArmCounts = { label, calls: c?.calls ?? 0, answered: c?.answered ?? 0, billsec: billsec.filter((b) => b.variant === label).map((b) => [b.billsec, b.calls] as const) };
        return armStats(armCounts, short);
      });
      const verdict = verdictOf(stats.filter((s) => views.some((v) => v.label === s.label)));
      return {
        rule_id: q.rule_id,
        rule_name: rule.name,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        short_call_seconds: short,
        min_calls_per_arm: MIN_CALLS_PER_ARM,
        arms: stats.map((s) => {
          const view = views.find((v) => v.label === s.label);
          return { ...s, answer_rate_ci95: s.answer_rate_ci95 && { ...s.answer_rate_ci95 }, percent: view?.percent ?? null, target: view?.target ?? null, target_name: view?.target_name ?? null };
        }),
        verdict: { kind: verdict.kind, label: verdict.kind === 'better' ? verdict.label : null, message: verdict.message },
      };
    },
  };
}
export type SplitAnalyticsService = ReturnType<typeof createSplitAnalyticsService>;
