import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

/** One headline number with its label and a line of context. */
export function StatCard({ label, value, hint, icon: Icon, accent = 'indigo' }: { label: string; value: ReactNode; hint?: ReactNode; icon: LucideIcon; accent?: 'indigo' | 'emerald' | 'sky' | 'amber' }) {
  const accents = {
    indigo: 'bg-indigo-50 text-indigo-600',
    emerald: 'bg-emerald-50 text-emerald-600',
    sky: 'bg-sky-50 text-sky-600',
    amber: 'bg-amber-50 text-amber-600',
  };
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-5" aria-label={label}>
      <div className="flex items-center justify-between gap-3">
        <h2 className="text-sm font-medium text-slate-600">{label}</h2>
        <span className={`flex size-8 items-center justify-center rounded-lg ${accents[accent]}`}>
          <Icon className="size-4" aria-hidden="true" />
        </span>
      </div>
      <p className="mt-2 text-2xl font-semibold tracking-tight text-slate-900 tabular-nums sm:mt-3 sm:text-3xl">{value}</p>
      {hint && <p className="mt-1 text-xs text-slate-600">{hint}</p>}
    </section>
  );
}
