import { useRef } from 'react';
import { callRecordListQuery } from '../../../../core/schemas/call-records.js';
import { FilterForm } from '../../../components/ui/filter-form.js';
import { OutcomeSelect } from '../../../components/ui/outcome-select.js';
import { NamedOptions, SelectField } from '../../../components/ui/select-field.js';
import { StatusCheckboxes } from '../../../components/ui/status-checkboxes.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { recordFilterKeys, type CallRecordSearch } from '../search.js';

export interface NamedOption {
  id: number;
  name: string;
}

type RecordFilterValues = Record<(typeof recordFilterKeys)[number], string>;

interface RecordFiltersProps {
  values: CallRecordSearch;
  agents: readonly NamedOption[];
  groups: readonly NamedOption[];
  onApply: (filters: RecordFilterValues) => void;
}

/** Every filter of the call-record list, checked with the API's own schema before it goes to the URL. */
export function RecordFilters({ values, agents, groups, onApply }: RecordFiltersProps) {
  const raw = useRef<RecordFilterValues | null>(null);
  const form = useSchemaForm({
    schema: callRecordListQuery,
    fields: recordFilterKeys,
    serverError: null,
    read: (element) => {
      const data = new FormData(element);
      const out = Object.fromEntries(recordFilterKeys.map((k) => [k, ''])) as RecordFilterValues;
      for (const key of recordFilterKeys) {
        if (key !== 'status') out[key] = String(data.get(key) ?? '').trim();
      }
      out.status = data.getAll('status').map(String).join(',');
      raw.current = out;
      return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== ''));
    },
    onValid: () => raw.current && onApply(raw.current),
  });
  const clear = () => onApply(Object.fromEntries(recordFilterKeys.map((k) => [k, ''])) as RecordFilterValues);
  const active = recordFilterKeys.some((k) => values[k] !== '');
  const moreKeys = ['min_duration', 'max_duration', 'direction', 'is_test', 'session_token', 'status'] as const;
  // The extra filters stay open while one is set or wrong, so nothing in force is hidden.
  const moreOpen = moreKeys.some((k) => values[k] !== '' || form.errorsFor(k) !== undefined);
  // Remount on URL change so the inputs show what the URL says (back button, shared link).
  const key = recordFilterKeys.map((k) => values[k]).join('|');

  return (
    <FilterForm key={key} label="Call record filters" form={form} active={active} onClear={clear}>
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <TextField name="from" label="From" defaultValue={values.from} placeholder="Digits of the caller" errors={form.errorsFor('from')} />
        <TextField name="to" label="To" defaultValue={values.to} placeholder="Digits of the dialled number" errors={form.errorsFor('to')} />
        <SelectField name="agent_id" label="Agent" defaultValue={values.agent_id} errors={form.errorsFor('agent_id')}>
          <option value="">Any agent</option>
          <NamedOptions items={agents} />
        </SelectField>
        <SelectField name="group_id" label="Group" defaultValue={values.group_id} errors={form.errorsFor('group_id')}>
          <option value="">Any group</option>
          <NamedOptions items={groups} />
        </SelectField>
        <OutcomeSelect defaultValue={values.outcome} errors={form.errorsFor('outcome')} />
        <TextField name="start_date" label="From date" type="date" defaultValue={values.start_date} errors={form.errorsFor('start_date')} />
        <TextField name="end_date" label="To date" type="date" defaultValue={values.end_date} errors={form.errorsFor('end_date')} />
      </div>
      <details open={moreOpen} className="group mt-4">
        <summary className="cursor-pointer text-sm font-semibold text-indigo-700 hover:text-indigo-600">More filters: duration, direction, test calls, session, status</summary>
        <div className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <TextField name="min_duration" label="Min duration (s)" type="number" min={0} defaultValue={values.min_duration} errors={form.errorsFor('min_duration')} />
          <TextField name="max_duration" label="Max duration (s)" type="number" min={0} defaultValue={values.max_duration} errors={form.errorsFor('max_duration')} />
          <SelectField name="direction" label="Direction" defaultValue={values.direction} errors={form.errorsFor('direction')}>
            <option value="">Both</option>
            <option value="inbound">Inbound</option>
            <option value="outbound">Outbound</option>
          </SelectField>
          <SelectField name="is_test" label="Test calls" defaultValue={values.is_test} errors={form.errorsFor('is_test')}>
            <option value="">Included</option>
            <option value="true">Only test calls</option>
            <option value="false">Hidden</option>
          </SelectField>
          <TextField name="session_token" label="Session token" defaultValue={values.session_token} className="sm:col-span-2 lg:col-span-1" errors={form.errorsFor('session_token')} />
          <StatusCheckboxes selected={values.status.split(',').filter(Boolean)} className="sm:col-span-2 lg:col-span-4" />
        </div>
      </details>
    </FilterForm>
  );
}
