import { Activity, Gauge, ListOrdered, Repeat } from 'lucide-react';
import type { StrategyName } from '../../../../core/strategies/types.js';

export const strategyInfo: Record<StrategyName, { label: string; summary: string; icon: typeof Repeat }> = {
  round_robin: {
    label: 'Round robin',
    summary: 'Members take turns. Capacity weights the turns: a member with capacity 2 gets twice the calls of one with capacity 1.',
    icon: Repeat,
  },
  priority: {
    label: 'Priority with failover',
    summary: 'Each call goes to the member with the lowest priority number; equal priorities take turns, the others are the failover order.',
    icon: ListOrdered,
  },
  load_balanced: {
    label: 'Load balanced',
    summary: 'The next call goes to the member with the fewest calls in the recent window, relative to its capacity.',
    icon: Gauge,
  },
  least_live: {
    label: 'Least live calls',
    summary: 'The next call goes to the member with the fewest calls in progress right now, relative to its capacity; members equally busy take turns.',
    icon: Activity,
  },
};

const order: readonly StrategyName[] = ['round_robin', 'priority', 'load_balanced', 'least_live'];

/** Radio cards: each strategy with what it does, so the choice is made knowing its effect. */
export function StrategyPicker({ value, onChange, disabled = false }: { value: StrategyName; onChange: (s: StrategyName) => void; disabled?: boolean }) {
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700">Strategy</legend>
      <div className="mt-2 grid gap-3">
        {order.map((name) => {
          const info = strategyInfo[name];
          const Icon = info.icon;
          const checked = value === name;
          return (
            <label
              key={name}
              className={`flex cursor-pointer gap-3 rounded-lg border p-3 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-600 ${
                checked ? 'border-indigo-600 bg-indigo-50/60 ring-1 ring-indigo-600' : 'border-slate-300 bg-white hover:bg-slate-50'
              }`}
            >
              <input type="radio" name="strategy" value={name} checked={checked} disabled={disabled} onChange={() => onChange(name)} className="sr-only" />
              <Icon className={`mt-0.5 size-5 shrink-0 ${checked ? 'text-indigo-600' : 'text-slate-400'}`} aria-hidden="true" />
              <span>
                <span className="block text-sm font-semibold text-slate-900">{info.label}</span>
                <span className="mt-0.5 block text-sm text-slate-600">{info.summary}</span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
