import { useMemo } from 'react';
import { z } from 'zod';
import { Alert } from '../../components/ui/alert.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { useAllAgents } from '../../features/agents/api/get-agents.js';
import { useMe } from '../../features/auth/api/get-me.js';
import { useAgentAnalytics } from '../../features/dashboard/api/get-agent-analytics.js';
import { useGroupAnalytics } from '../../features/dashboard/api/get-group-analytics.js';
import { useMetrics } from '../../features/dashboard/api/get-metrics.js';
import { useOccupancy } from '../../features/dashboard/api/get-occupancy.js';
import { useRoutingShares } from '../../features/dashboard/api/get-routing-shares.js';
import { AgentCallsChart } from '../../features/dashboard/components/agent-calls-chart.js';
import { CallsTrendChart } from '../../features/dashboard/components/calls-trend-chart.js';
import { GettingStarted, setupComplete } from '../../features/dashboard/components/getting-started.js';
import { GroupShareChart } from '../../features/dashboard/components/group-share-chart.js';
import { MetricCards } from '../../features/dashboard/components/metric-cards.js';
import { OccupancyCard } from '../../features/dashboard/components/occupancy-card.js';
import { RoutingSharesCard } from '../../features/dashboard/components/routing-shares-card.js';
import { CustomRangeForm } from '../../features/dashboard/components/custom-range-form.js';
import { RangePicker, rangeChoices, type RangeChoice, type RangeDays } from '../../features/dashboard/components/range-picker.js';
import { customRangeSchema, describeLastDays, describeRange, lastDays } from '../../features/dashboard/period.js';
import { useAllGroups } from '../../features/groups/api/get-groups.js';
import { useInboundRules } from '../../features/rules/api/get-inbound-rules.js';
import { useTenant } from '../../features/settings/api/get-tenant.js';
import { WebhookWiringWarning } from '../../features/settings/components/webhook-wiring-warning.js';
import { usePollInterval } from '../../lib/live-events.js';
import { useSearchState } from '../../lib/url-state.js';

const searchSchema = z.object({
  /** A preset number of days, or `custom` with `start_date` and `end_date`. */
  days: z
    .string()
    .catch('7')
    .transform((d): RangeChoice => (d === 'custom' ? d : ((rangeChoices as readonly number[]).find((n) => String(n) === d) as RangeDays | undefined) ?? 7)),
  start_date: z.string().catch(''),
  end_date: z.string().catch(''),
});

export function DashboardRoute() {
  const me = useMe().data;
  const [{ days, start_date, end_date }, setSearch] = useSearchState(searchSchema);
  // A custom period the URL gets wrong (edited by hand) shows the last 7 days, and says so.
  const customValid = days === 'custom' && customRangeSchema.safeParse({ start_date, end_date }).success;
  const range = useMemo(() => (customValid ? { start_date, end_date } : lastDays(days === 'custom' ? 7 : days)), [customValid, start_date, end_date, days]);
  const period = customValid ? describeRange(range) : describeLastDays(days === 'custom' ? 7 : days);
  const choose = (choice: RangeChoice) =>
    // Custom starts from the period on screen, so the charts never go blank while the dates are picked.
    setSearch(choice === 'custom' ? { days: choice, ...range } : { days: choice, start_date: undefined, end_date: undefined });
  const poll = usePollInterval(10_000);
  const metrics = useMetrics(range, poll);
  const agentStats = useAgentAnalytics(range, poll === false ? false : 30_000);
  const groupStats = useGroupAnalytics(range, poll === false ? false : 30_000);
  const occupancy = useOccupancy(usePollInterval(5_000));
  const routingShares = useRoutingShares(range, poll === false ? false : 30_000);
  const agents = useAllAgents();
  const groups = useAllGroups();
  const rules = useInboundRules();
  // For the webhook wiring, which changes as time passes (a grace period ends), not on events.
  const tenant = useTenant(60_000).data;
  const firstName = me?.name.trim().split(/\s+/)[0] ?? '';
  // Shown until every step has really happened (not just until a first call in the period), once everything it reads has loaded.
  const setup =
    tenant && agents.data && groups.data && rules.data
      ? { agents: agents.data.meta.total, groups: groups.data.meta.total, rules: rules.data.data.length, received: tenant.webhook_wiring.received_ever }
      : null;

  return (
    <>
      <PageHeader
        title="Dashboard"
        description={firstName ? `Welcome, ${firstName}. How your calls went ${period.phrase}.` : undefined}
        actions={<RangePicker value={days} onChange={choose} />}
      />
      {tenant && tenant.webhook_wiring.problems.length > 0 && (
        <div className="mb-6">
          <WebhookWiringWarning wiring={tenant.webhook_wiring} urls={tenant.webhook_urls} secret={tenant.webhook_secret} settingsLink />
        </div>
      )}
      {days === 'custom' && <CustomRangeForm values={{ start_date, end_date }} onApply={(r) => setSearch(r)} />}
      {days === 'custom' && !customValid && (
        <div className="mb-4">
          <Alert title="These dates cannot be shown">The period in the address is not a valid one, so the last 7 days are shown. Pick the dates above and apply them.</Alert>
        </div>
      )}
      {metrics.isError && (
        <div className="mb-4">
          <Alert title="Could not load the numbers">{metrics.error.message}</Alert>
        </div>
      )}
      {setup && !setupComplete(setup) && (
        <div className="mb-6">
          <GettingStarted progress={setup} />
        </div>
      )}
      <MetricCards metrics={metrics.data} period={period} />
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        {occupancy.data && <OccupancyCard occupancy={occupancy.data} />}
        {routingShares.data && <RoutingSharesCard shares={routingShares.data} period={period} />}
      </div>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        {metrics.data && <CallsTrendChart metrics={metrics.data} />}
        {agentStats.data && <AgentCallsChart analytics={agentStats.data} />}
        {groupStats.data && <GroupShareChart analytics={groupStats.data} />}
      </div>
    </>
  );
}
