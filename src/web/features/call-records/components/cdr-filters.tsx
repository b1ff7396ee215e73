import { useRef } from 'react';
import { cdrListQuery } from '../../../../core/schemas/call-records.js';
import { FilterForm } from '../../../components/ui/filter-form.js';
import { SelectField } from '../../../components/ui/select-field.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { cdrFilterKeys, type CallRecordSearch } from '../search.js';

type CdrFilterValues = Record<(typeof cdrFilterKeys)[number], string>;

/** The CDR list's filters, checked with the API's schema. */
export function CdrFilters({ values, onApply }: { values: CallRecordSearch; onApply: (filters: CdrFilterValues) => void }) {
  const raw = useRef<CdrFilterValues | null>(null);
  const form = useSchemaForm({
    schema: cdrListQuery,
    fields: cdrFilterKeys,
    serverError: null,
    read: (element) => {
      const data = new FormData(element);
      const out = Object.fromEntries(cdrFilterKeys.map((k) => [k, String(data.get(k) ?? '').trim()])) as CdrFilterValues;
      raw.current = out;
      return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== ''));
    },
    onValid: () => raw.current && onApply(raw.current),
  });
  const active = cdrFilterKeys.some((k) => values[k] !== '');
  const key = cdrFilterKeys.map((k) => values[k]).join('|');

  return (
    <FilterForm key={key} label="CDR filters" form={form} active={active} onClear={() => onApply(Object.fromEntries(cdrFilterKeys.map((k) => [k, ''])) as CdrFilterValues)}>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <TextField name="from" label="From" defaultValue={values.from} errors={form.errorsFor('from')} />
        <TextField name="to" label="To" defaultValue={values.to} errors={form.errorsFor('to')} />
        <SelectField name="disposition" label="Disposition" defaultValue={values.disposition} errors={form.errorsFor('disposition')}>
          <option value="">Any</option>
          <option value="answered">Answered</option>
          <option value="no_answer">No answer</option>
          <option value="busy">Busy</option>
          <option value="failed">Failed</option>
          <option value="congestion">Congestion</option>
          <option value="canceled">Cancelled</option>
        </SelectField>
        <TextField name="start_date" label="From date" type="date" defaultValue={values.start_date} errors={form.errorsFor('start_date')} />
        <TextField name="end_date" label="To date" type="date" defaultValue={values.end_date} errors={form.errorsFor('end_date')} />
        <TextField name="token" label="Session token" defaultValue={values.token} errors={form.errorsFor('token')} />
      </div>
    </FilterForm>
  );
}
