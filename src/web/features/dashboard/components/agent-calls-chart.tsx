import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatPercent } from '../../../lib/format.js';
import type { AgentAnalytics } from '../api/get-agent-analytics.js';
import { axisStyle, ChartCard, legendText, tooltipItemStyle, tooltipStyle } from './chart-card.js';

/** Calls per agent, answered and not, busiest first (top 10). */
export function AgentCallsChart({ analytics }: { analytics: AgentAnalytics }) {
  const rows = [...analytics.data]
    .sort((a, b) => b.calls - a.calls)
    .slice(0, 10)
    .map((a) => ({ name: a.agent_name ?? `#${a.agent_id}`, answered: a.answered, missed: a.calls - a.answered, rate: a.success_rate }));
  const summary = rows.map((r) => `${r.name}: ${r.answered + r.missed} calls, ${formatPercent(r.rate)} answered`).join('; ');
  return (
    <ChartCard title="Calls per agent" summary={summary || 'No calls reached an agent in this period.'} empty={rows.length === 0 && 'No calls reached an agent in this period.'}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={axisStyle} tickLine={false} axisLine={false} />
          <YAxis type="category" dataKey="name" width={110} tick={axisStyle} tickLine={false} axisLine={false} />
          <Tooltip contentStyle={tooltipStyle} itemStyle={tooltipItemStyle} cursor={{ fill: '#f1f5f9' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
          <Bar dataKey="answered" name="Answered" stackId="calls" fill="#10b981" maxBarSize={28} isAnimationActive={false} />
          <Bar dataKey="missed" name="Not answered" stackId="calls" fill="#cbd5e1" radius={[0, 3, 3, 0]} maxBarSize={28} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
