import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDay, formatPercent } from '../../../lib/format.js';
import type { Metrics } from '../api/get-metrics.js';
import { axisStyle, ChartCard, legendText, tooltipItemStyle, tooltipStyle } from './chart-card.js';

/** Calls and answered calls per day, with the success rate as a line. */
export function CallsTrendChart({ metrics }: { metrics: Metrics }) {
  // A day without calls has no success rate: a gap in the line, not a drop to 0%.
  const data = metrics.trends.map((t) => ({ ...t, day: formatDay(t.date), success_rate: t.calls > 0 ? t.success_rate : null }));
  const total = metrics.trends.reduce((n, t) => n + t.calls, 0);
  const busiest = metrics.trends.reduce((a, b) => (b.calls > a.calls ? b : a), metrics.trends[0] ?? { date: '', calls: 0 });
  const summary = `${total} calls from ${metrics.start_date} to ${metrics.end_date}; the busiest day was ${busiest.date} with ${busiest.calls}.`;
  return (
    <ChartCard title="Calls per day" summary={summary} className="lg:col-span-2" empty={total === 0 && 'No calls in this period yet.'}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="day" tick={axisStyle} tickLine={false} axisLine={{ stroke: '#cbd5e1' }} minTickGap={12} />
          <YAxis yAxisId="calls" allowDecimals={false} tick={axisStyle} tickLine={false} axisLine={false} />
          <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} tick={axisStyle} tickLine={false} axisLine={false} />
          <Tooltip
            formatter={(value, name) => (name === 'Success rate' ? formatPercent(Number(value)) : String(value))}
            contentStyle={tooltipStyle} itemStyle={tooltipItemStyle}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
          <Bar yAxisId="calls" dataKey="calls" name="Calls" fill="#c7d2fe" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
          <Bar yAxisId="calls" dataKey="answered" name="Answered" fill="#6366f1" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
          <Line yAxisId="rate" type="monotone" dataKey="success_rate" name="Success rate" stroke="#10b981" strokeWidth={2} dot={{ r: 3 }} connectNulls={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
