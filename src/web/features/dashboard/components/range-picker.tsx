import { focusRing } from '../../../components/ui/button.js';

/** Local days up to today: 1 and 2 are charted per hour, the rest per day. */
export const rangeChoices = [1, 2, 7, 14, 30, 90] as const;
export type RangeDays = (typeof rangeChoices)[number];
/** A preset number of days up to today, or dates of the user's choosing. */
export type RangeChoice = RangeDays | 'custom';

const dayLabel = (d: RangeDays) => (d === 1 ? 'Today' : `${d} days`);
const options: readonly { value: RangeChoice; label: string }[] = [...rangeChoices.map((d) => ({ value: d, label: dayLabel(d) })), { value: 'custom', label: 'Custom' }];

/** The period the dashboard covers, as a segmented control. */
export function RangePicker({ value, onChange }: { value: RangeChoice; onChange: (value: RangeChoice) => void }) {
  return (
    <div role="group" aria-label="Period" className="inline-flex flex-wrap rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={o.value === value}
          onClick={() => onChange(o.value)}
          className={`rounded px-3 py-1.5 text-sm font-medium ${focusRing} ${o.value === value ? 'bg-indigo-600 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
