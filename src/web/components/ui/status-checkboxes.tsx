import { callStateLabels } from '../../../core/lifecycle/call-words.js';
import { callStates } from '../../../core/routing/call-state.js';

interface StatusCheckboxesProps {
  selected: readonly string[];
  className?: string;
  /** Messages for the status filter as a whole. */
  errors?: readonly string[] | undefined;
}

/** Call states as checkboxes named `status`; the form joins the checked ones with commas. */
export function StatusCheckboxes({ selected, className, errors }: StatusCheckboxesProps) {
  return (
    <fieldset className={className}>
      <legend className="text-sm font-medium text-slate-700">Status</legend>
      <div className="mt-1.5 flex flex-wrap gap-x-4 gap-y-2">
        {callStates.map((state) => (
          <label key={state} className="flex items-center gap-1.5 text-sm text-slate-700">
            <input type="checkbox" name="status" value={state} defaultChecked={selected.includes(state)} className="size-4 rounded border-slate-300 accent-indigo-600" />
            {callStateLabels[state]}
          </label>
        ))}
      </div>
      {errors && <p className="mt-1 text-sm text-red-700">Status {errors.join('; ')}</p>}
    </fieldset>
  );
}
