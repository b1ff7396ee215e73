import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPercent } from '../../../lib/format.js';
import type { GroupAnalytics } from '../api/get-group-analytics.js';
import { axisStyle, ChartCard, chartColors, legendText, tooltipItemStyle, tooltipStyle } from './chart-card.js';

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
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={axisStyle} tickLine={false} axisLine={false} />
          <YAxis type="category" dataKey="name" width={110} tick={axisStyle} tickLine={false} axisLine={false} />
          <Tooltip contentStyle={tooltipStyle} itemStyle={tooltipItemStyle} cursor={{ fill: '#f1f5f9' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
          {agents.map((agent, i) => (
            <Bar key={agent} dataKey={agent} stackId="members" fill={chartColors[i % chartColors.length]} maxBarSize={28} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
