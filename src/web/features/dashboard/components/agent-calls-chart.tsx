import { Bar } from 'recharts';
import { formatPercent } from '../../../lib/format.js';
import type { AgentAnalytics } from '../api/get-agent-analytics.js';
import { ChartCard } from './chart-card.js';
import { HorizontalBarChart } from './horizontal-bar-chart.js';

/** Calls per agent, answered and not, busiest first (top 10). */
export function AgentCallsChart({ analytics }: { analytics: AgentAnalytics }) {
  const rows = [...analytics.data]
    .sort((a, b) => b.calls - a.calls)
    .slice(0, 10)
    .map((a) => ({ name: a.agent_name ?? `#${a.agent_id}`, answered: a.answered, missed: a.calls - a.answered, rate: a.success_rate }));
  const summary = rows.map((r) => `${r.name}: ${r.answered + r.missed} calls, ${formatPercent(r.rate)} answered`).join('; ');
  return (
    <ChartCard title="Calls per agent" summary={summary || 'No calls reached an agent in this period.'} empty={rows.length === 0 && 'No calls reached an agent in this period.'}>
      <HorizontalBarChart rows={rows}>
        <Bar dataKey="answered" name="Answered" stackId="calls" fill="#10b981" maxBarSize={28} isAnimationActive={false} />
        <Bar dataKey="missed" name="Not answered" stackId="calls" fill="#cbd5e1" radius={[0, 3, 3, 0]} maxBarSize={28} isAnimationActive={false} />
      </HorizontalBarChart>
    </ChartCard>
  );
}
