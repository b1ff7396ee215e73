import type { Store } from './database.js';

/** Statuses that count as answered (as in call-rollups.ts and README "Analytics"). */
const ANSWERED = ['completed'];

export interface VariantCount {
  variant: string;
  calls: number;
  answered: number;
}

export interface VariantBillsec {
  variant: string;
  billsec: number;
  calls: number;
}

/**
 * The calls a split rule routed, grouped by arm (call_records.variant), for its analytics.
 * Two grouped reads of one rule's calls in [from, to): counts per arm, and answered calls'
 * billsec per arm and value (a histogram: durations repeat, so this stays small where a list
 * of every call would not); the median and shares are worked out in core.
 */
export function createSplitAnalyticsStore({ db }: Store) {
  const scope = (tenantId: number, ruleId: number, from: number, to: number) =>
    db
      .selectFrom('call_records')
      .where('tenant_id', '=', tenantId)
      .where('started_at', '>=', from)
      .where('started_at', '<', to)
      .where('rule_id', '=', ruleId)
      .where('variant', 'is not', null);

  return {
    async counts(tenantId: number, ruleId: number, from: number, to: number): Promise<VariantCount[]> {
      const rows = await scope(tenantId, ruleId, from, to)
        .select((eb) => ['variant', eb.fn.countAll<number>().as('calls'), eb.fn.sum<number>(eb.case().when('status', 'in', ANSWERED).then(1).else(0).end()).as('answered')])
        .groupBy('variant')
        .execute();
      return rows.map((r) => ({ variant: r.variant!, calls: Number(r.calls), answered: Number(r.answered ?? 0) }));
    },

    async billsec(tenantId: number, ruleId: number, from: number, to: number): Promise<VariantBillsec[]> {
      const rows = await scope(tenantId, ruleId, from, to)
        .where('status', 'in', ANSWERED)
        .where('billsec', 'is not', null)
        .select((eb) => ['variant', 'billsec', eb.fn.countAll<number>().as('calls')])
        .groupBy(['variant', 'billsec'])
        .execute();
      return rows.map((r) => ({ variant: r.variant!, billsec: Number(r.billsec), calls: Number(r.calls) }));
    },
  };
}
export type SplitAnalyticsStore = ReturnType<typeof createSplitAnalyticsStore>;
