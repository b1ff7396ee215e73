import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDay, formatPercent } from '../../../lib/format.js';
import type { Metrics } from '../api/get-metrics.js';
import { axisStyle, ChartCard, legendText, tooltipItemStyle, tooltipStyle } from './chart-card.js';

const hourText = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/**
 * Calls and answered calls per hour (today, two days) or per day (longer periods),
 * in the tenant's time zone, with the success rate as a line.
 */
export function CallsTrendChart({ metrics }: { metrics: Metrics }) {
  const hourly = metrics.bucket === 'hour';
  const days = new Set(metrics.timeline.map((p) => p.date)).size;
  // A bucket without calls has no success rate: a gap in the line, not a drop to 0%.
  const data = metrics.timeline.map((p) => ({
    ...p,
    // Hours name their day only where a day starts, and only when the chart spans several.
    tick: p.hour === null ? formatDay(p.date) : days > 1 && p.hour === 0 ? formatDay(p.date) : hourText(p.hour),
    label: p.hour === null ? formatDay(p.date) : `${formatDay(p.date)}, ${hourText(p.hour)}`,
    success_rate: p.calls > 0 ? p.success_rate : null,
  }));
  const total = metrics.timeline.reduce((n, p) => n + p.calls, 0);
  const busiest = data.reduce((a, b) => (b.calls > a.calls ? b : a), data[0] ?? { label: '', calls: 0 });
  const summary = `${total} calls from ${metrics.start_date} to ${metrics.end_date}, per ${hourly ? 'hour' : 'day'} in ${metrics.timezone}; the busiest ${hourly ? 'hour' : 'day'} was ${busiest.label} with ${busiest.calls}.`;
  return (
    <ChartCard title={hourly ? 'Calls per hour' : 'Calls per day'} summary={summary} className="lg:col-span-2" empty={total === 0 && 'No calls in this period yet.'}>
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={data} margin={{ top: 4, right: 4, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="var(--color-slate-200)" vertical={false} />
          <XAxis dataKey="tick" tick={axisStyle} tickLine={false} axisLine={{ stroke: 'var(--color-slate-300)' }} minTickGap={12} />
          <YAxis yAxisId="calls" allowDecimals={false} tick={axisStyle} tickLine={false} axisLine={false} />
          <YAxis yAxisId="rate" orientation="right" domain={[0, 100]} tickFormatter={(v: number) => `${v}%`} tick={axisStyle} tickLine={false} axisLine={false} />
          <Tooltip
            labelFormatter={(_tick, payload) => String((payload[0]?.payload as { label?: string } | undefined)?.label ?? '')}
            formatter={(value, name) => (name === 'Success rate' ? formatPercent(Number(value)) : String(value))}
            contentStyle={tooltipStyle} itemStyle={tooltipItemStyle}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
          <Bar yAxisId="calls" dataKey="calls" name="Calls" fill="#c7d2fe" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
          <Bar yAxisId="calls" dataKey="answered" name="Answered" fill="#6366f1" radius={[3, 3, 0, 0]} maxBarSize={28} isAnimationActive={false} />
          <Line yAxisId="rate" type="monotone" dataKey="success_rate" name="Success rate" stroke="#10b981" strokeWidth={2} dot={{ r: hourly ? 2 : 3 }} connectNulls={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartCard>
  );
}
