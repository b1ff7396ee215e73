import type { ReactNode } from 'react';
import { BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { axisStyle, legendText, tooltipItemStyle, tooltipStyle } from './chart-card.js';

/** Horizontal bars, one per row named by its `name`, with counts along the bottom; the bars (`<Bar>`s) are the children. */
export function HorizontalBarChart({ rows, children }: { rows: readonly Record<string, string | number>[]; children: ReactNode }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#e2e8f0" horizontal={false} />
        <XAxis type="number" allowDecimals={false} tick={axisStyle} tickLine={false} axisLine={false} />
        <YAxis type="category" dataKey="name" width={110} tick={axisStyle} tickLine={false} axisLine={false} />
        <Tooltip contentStyle={tooltipStyle} itemStyle={tooltipItemStyle} cursor={{ fill: '#f1f5f9' }} />
        <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
        {children}
      </BarChart>
    </ResponsiveContainer>
  );
}
