import { useMemo } from 'react';
import { z } from 'zod';
import { Alert } from '../../components/ui/alert.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { useAllAgents } from '../../features/agents/api/get-agents.js';
import { useMe } from '../../features/auth/api/get-me.js';
import { useAgentAnalytics } from '../../features/dashboard/api/get-agent-analytics.js';
import { useGroupAnalytics } from '../../features/dashboard/api/get-group-analytics.js';
import { useMetrics } from '../../features/dashboard/api/get-metrics.js';
import { AgentCallsChart } from '../../features/dashboard/components/agent-calls-chart.js';
import { CallsTrendChart } from '../../features/dashboard/components/calls-trend-chart.js';
import { GettingStarted } from '../../features/dashboard/components/getting-started.js';
import { GroupShareChart } from '../../features/dashboard/components/group-share-chart.js';
import { MetricCards } from '../../features/dashboard/components/metric-cards.js';
import { RangePicker, rangeChoices, type RangeDays } from '../../features/dashboard/components/range-picker.js';
import { useAllGroups } from '../../features/groups/api/get-groups.js';
import { useInboundRules } from '../../features/rules/api/get-inbound-rules.js';
import { isoDay } from '../../lib/format.js';
import { usePollInterval } from '../../lib/live-events.js';
import { useSearchState } from '../../lib/url-state.js';

const searchSchema = z.object({
  days: z.coerce
    .number()
    .catch(7)
    .transform((d): RangeDays => ((rangeChoices as readonly number[]).includes(d) ? (d as RangeDays) : 7)),
});

export function DashboardRoute() {
  const me = useMe().data;
  const [{ days }, setSearch] = useSearchState(searchSchema);
  // The browser's today; the API counts days in the tenant's zone, which is the same or a day apart.
  const range = useMemo(() => ({ start_date: isoDay(-(days - 1)), end_date: isoDay() }), [days]);
  const poll = usePollInterval(10_000);
  const metrics = useMetrics(range, poll);
  const agentStats = useAgentAnalytics(range, poll === false ? false : 30_000);
  const groupStats = useGroupAnalytics(range, poll === false ? false : 30_000);
  const agents = useAllAgents();
  const groups = useAllGroups();
  const rules = useInboundRules();
  const firstName = me?.name.trim().split(/\s+/)[0] ?? '';
  const noCallsYet = metrics.data?.total_calls === 0 && metrics.data.active_calls === 0;

  return (
    <>
      <PageHeader
        title="Dashboard"
        description={firstName ? `Welcome, ${firstName}. How your calls went over the last ${days} days.` : undefined}
        actions={<RangePicker days={days} onChange={(d) => setSearch({ days: d })} />}
      />
      {metrics.isError && (
        <div className="mb-4">
          <Alert title="Could not load the numbers">{metrics.error.message}</Alert>
        </div>
      )}
      {noCallsYet && (
        <div className="mb-6">
          <GettingStarted progress={{ agents: agents.data?.meta.total ?? 0, groups: groups.data?.meta.total ?? 0, rules: rules.data?.data.length ?? 0 }} />
        </div>
      )}
      <MetricCards metrics={metrics.data} days={days} />
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        {metrics.data && <CallsTrendChart metrics={metrics.data} />}
        {agentStats.data && <AgentCallsChart analytics={agentStats.data} />}
        {groupStats.data && <GroupShareChart analytics={groupStats.data} />}
      </div>
    </>
  );
}
