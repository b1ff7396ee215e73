import { CalendarRange } from 'lucide-react';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import type { DayRange } from '../api/get-metrics.js';
import { customRangeSchema } from '../period.js';

const fields = ['start_date', 'end_date'] as const;

/** Start and end days of a custom dashboard period, checked like the analytics API checks them before they go to the URL. */
export function CustomRangeForm({ values, onApply }: { values: DayRange; onApply: (range: DayRange) => void }) {
  const form = useSchemaForm({ schema: customRangeSchema, fields, serverError: null, onValid: onApply });
  return (
    // Remounted on URL change (back button, shared link) so the inputs show what the URL says.
    <form
      key={`${values.start_date}|${values.end_date}`}
      noValidate
      onSubmit={form.onSubmit}
      onInput={form.onInput}
      aria-label="Custom period filters"
      className="mb-6 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
    >
      {form.alert && <Alert title="Check the dates">{form.alert}</Alert>}
      <div className="flex flex-wrap items-start gap-4">
        <TextField name="start_date" label="Start date" type="date" defaultValue={values.start_date} className="w-52" errors={form.errorsFor('start_date')} />
        <TextField name="end_date" label="End date" type="date" defaultValue={values.end_date} className="w-52" errors={form.errorsFor('end_date')} />
        <Button type="submit" className="sm:mt-6.5" icon={<CalendarRange className="size-4" aria-hidden="true" />}>
          Apply
        </Button>
        <p className="basis-full text-xs text-slate-600">Both days included, counted in your organisation’s time zone; at most 366 days.</p>
      </div>
    </form>
  );
}
