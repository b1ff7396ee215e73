import type { ReactNode } from 'react';

/** A titled card for one chart, with a text summary for screen readers and an empty message. */
export function ChartCard({ title, summary, empty, children, className = '' }: { title: string; summary: string; empty?: string | false; children: ReactNode; className?: string }) {
  return (
    <figure className={`rounded-xl border border-slate-200 bg-white p-5 shadow-sm ${className}`}>
      <figcaption>
        <h2 className="text-base font-semibold text-slate-900">{title}</h2>
        <p className="sr-only">{summary}</p>
      </figcaption>
      {empty ? <p className="flex h-64 items-center justify-center text-sm text-slate-500">{empty}</p> : <div className="mt-4 h-64" aria-hidden="true">{children}</div>}
    </figure>
  );
}

export const chartColors = ['#6366f1', '#10b981', '#0ea5e9', '#f59e0b', '#8b5cf6', '#f43f5e', '#14b8a6', '#64748b'];
export const axisStyle = { fontSize: 12, fill: '#475569' };
export const tooltipStyle = { borderRadius: 8, borderColor: '#e2e8f0', fontSize: 12 };
export const tooltipItemStyle = { color: '#334155' };
/** Legend entries in readable slate text; recharts colours them like their (sometimes pale) series. */
export const legendText = (value: string) => <span className="text-slate-700">{value}</span>;
