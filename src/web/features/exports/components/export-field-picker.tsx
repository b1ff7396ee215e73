import { useState } from 'react';
import { exportFields } from '../../../../core/schemas/exports.js';
import { humanize } from '../../../lib/format.js';

const labels: Partial<Record<string, string>> = {
  id: 'Record id',
  from: 'From',
  to: 'To',
  billsec: 'Billed seconds',
  attempt: 'Attempts',
  outcome_reason: 'Outcome',
  status_label: 'Status (as shown)',
  outcome_label: 'Outcome (as shown)',
};

/** Checkboxes named `fields`, in the file's column order, with all/none shortcuts. */
export function ExportFieldPicker({ errors }: { errors?: readonly string[] | undefined }) {
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set(exportFields));
  const set = (all: boolean) => setChecked(new Set(all ? exportFields : []));
  return (
    <fieldset aria-describedby={errors ? 'export-fields-error' : undefined}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <legend className="text-sm font-medium text-slate-700">Columns</legend>
        <div className="flex gap-3 text-xs">
          <button type="button" className="font-semibold text-indigo-700 hover:underline" onClick={() => set(true)}>
            Select all
          </button>
          <button type="button" className="font-semibold text-indigo-700 hover:underline" onClick={() => set(false)}>
            Select none
          </button>
        </div>
      </div>
      <div className="mt-2 grid grid-cols-2 gap-x-4 gap-y-2 sm:grid-cols-3">
        {exportFields.map((field) => (
          <label key={field} className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              name="fields"
              value={field}
              checked={checked.has(field)}
              onChange={(e) => {
                const next = new Set(checked);
                if (e.target.checked) next.add(field);
                else next.delete(field);
                setChecked(next);
              }}
              className="size-4 rounded border-slate-300 accent-indigo-600"
            />
            {labels[field] ?? humanize(field)}
          </label>
        ))}
      </div>
      {errors && (
        <p id="export-fields-error" className="mt-1.5 text-sm text-red-700">
          Columns {errors.join('; ')}
        </p>
      )}
    </fieldset>
  );
}
