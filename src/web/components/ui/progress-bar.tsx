/** A labelled progress bar (0–100). */
export function ProgressBar({ value, label, tone = 'indigo' }: { value: number; label: string; tone?: 'indigo' | 'emerald' | 'red' }) {
  const clamped = Math.max(0, Math.min(100, Math.round(value)));
  const colors = { indigo: 'bg-indigo-600', emerald: 'bg-emerald-500', red: 'bg-red-500' };
  return (
    <div role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={clamped} className="h-2 w-full overflow-hidden rounded-full bg-slate-200">
      <div className={`h-full rounded-full transition-[width] duration-500 ${colors[tone]}`} style={{ width: `${clamped}%` }} />
    </div>
  );
}
