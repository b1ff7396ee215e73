import { focusRing } from '../../../components/ui/button.js';

export const rangeChoices = [7, 14, 30, 90] as const;
export type RangeDays = (typeof rangeChoices)[number];

/** The period the dashboard covers, as a segmented control. */
export function RangePicker({ days, onChange }: { days: RangeDays; onChange: (days: RangeDays) => void }) {
  return (
    <div role="group" aria-label="Period" className="inline-flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
      {rangeChoices.map((d) => (
        <button
          key={d}
          type="button"
          aria-pressed={d === days}
          onClick={() => onChange(d)}
          className={`rounded px-3 py-1.5 text-sm font-medium ${focusRing} ${d === days ? 'bg-indigo-600 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
        >
          {d} days
        </button>
      ))}
    </div>
  );
}
