import { Bar } from 'recharts';
import { formatPercent } from '../../../lib/format.js';
import type { GroupAnalytics } from '../api/get-group-analytics.js';
import { ChartCard, chartColors } from './chart-card.js';
import { HorizontalBarChart } from './horizontal-bar-chart.js';

/** Each group's calls split by member: how evenly the strategy shares them. */
export function GroupShareChart({ analytics }: { analytics: GroupAnalytics }) {
  const agents = [...new Set(analytics.data.flatMap((g) => g.members.map((m) => m.agent_name ?? `#${m.agent_id}`)))];
  const rows = analytics.data.map((g) => {
    const row: Record<string, string | number> = { name: g.group_name ?? `#${g.group_id}` };
    for (const m of g.members) row[m.agent_name ?? `#${m.agent_id}`] = m.calls;
    return row;
  });
  const summary = analytics.data
    .map((g) => `${g.group_name ?? g.group_id}: ${g.calls} calls, ${g.members.map((m) => `${m.agent_name ?? m.agent_id} ${formatPercent(m.share)}`).join(', ')}`)
    .join('; ');
  return (
    <ChartCard title="Calls per group, by member" summary={summary || 'No group took calls in this period.'} empty={rows.length === 0 && 'No group took calls in this period.'}>
      <HorizontalBarChart rows={rows}>
        {agents.map((agent, i) => (
          <Bar key={agent} dataKey={agent} stackId="members" fill={chartColors[i % chartColors.length]} maxBarSize={28} isAnimationActive={false} />
        ))}
      </HorizontalBarChart>
    </ChartCard>
  );
}
