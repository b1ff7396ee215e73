import { useRef, useState } from 'react';
import { createExportBody } from '../../../../core/schemas/exports.js';
import { FormDialog } from '../../../components/ui/form-dialog.js';
import { OutcomeSelect } from '../../../components/ui/outcome-select.js';
import { NamedOptions, SelectField } from '../../../components/ui/select-field.js';
import { StatusCheckboxes } from '../../../components/ui/status-checkboxes.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useCreateExport, type CreateExportRequest } from '../api/create-export.js';
import { ExportFieldPicker } from './export-field-picker.js';

const filterKeys = ['start_date', 'end_date', 'agent_id', 'group_id', 'direction', 'outcome', 'from', 'to', 'min_duration', 'max_duration'] as const;
const fields = ['format', 'fields', ...filterKeys.map((k) => `filters.${k}`), 'filters.status'];

export interface ExportPreset {
  filters: Partial<Record<string, string>>;
}

interface ExportFormProps {
  preset: ExportPreset;
  agents: readonly { id: number; name: string }[];
  groups: readonly { id: number; name: string }[];
  onClose: () => void;
}

/** Choose the format, the columns and the call-record filters; the export then runs in the background. */
export function ExportFormDialog({ preset, agents, groups, onClose }: ExportFormProps) {
  const create = useCreateExport({ onSuccess: onClose });
  const body = useRef<CreateExportRequest | null>(null);
  const [format, setFormat] = useState<'csv' | 'json'>('csv');
  const presetStatus = (preset.filters.status ?? '').split(',').filter(Boolean);
  const form = useSchemaForm({
    schema: createExportBody,
    fields,
    serverError: create.error,
    resetServerError: create.reset,
    read: (element) => {
      const data = new FormData(element);
      const filters: Record<string, unknown> = {};
      for (const key of filterKeys) {
        const value = String(data.get(key) ?? '').trim();
        if (value !== '') filters[key] = value;
      }
      const status = data.getAll('status').map(String);
      if (status.length > 0) filters.status = status;
      body.current = { format, fields: data.getAll('fields').map(String), filters };
      return body.current;
    },
    onValid: () => body.current && create.mutate(body.current),
  });
  const err = (key: string) => form.errorsFor(`filters.${key}`);

  return (
    <FormDialog
      wide
      title="New export"
      description="Call records matching the filters are written to a file in the background; download it here when it is ready."
      onClose={onClose}
      form={form}
      alertTitle="Could not start the export"
      submitLabel="Start export"
      pending={create.isPending}
      className="space-y-6"
    >
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Format</legend>
        <div className="mt-2 flex gap-4">
          {(['csv', 'json'] as const).map((f) => (
            <label key={f} className="flex items-center gap-2 text-sm text-slate-700">
              <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} className="size-4 accent-indigo-600" />
              {f === 'csv' ? 'CSV (spreadsheets)' : 'JSON'}
            </label>
          ))}
        </div>
      </fieldset>
      <ExportFieldPicker errors={form.errorsFor('fields')} />
      <fieldset className="space-y-4">
        <legend className="text-sm font-medium text-slate-700">Which calls</legend>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <TextField name="start_date" label="From date" type="date" defaultValue={preset.filters.start_date} errors={err('start_date')} />
          <TextField name="end_date" label="To date" type="date" defaultValue={preset.filters.end_date} errors={err('end_date')} />
          <SelectField name="direction" label="Direction" defaultValue={preset.filters.direction ?? ''} errors={err('direction')}>
            <option value="">Both</option>
            <option value="inbound">Inbound</option>
            <option value="outbound">Outbound</option>
          </SelectField>
          <SelectField name="agent_id" label="Agent" defaultValue={preset.filters.agent_id ?? ''} errors={err('agent_id')}>
            <option value="">Any agent</option>
            <NamedOptions items={agents} />
          </SelectField>
          <SelectField name="group_id" label="Group" defaultValue={preset.filters.group_id ?? ''} errors={err('group_id')}>
            <option value="">Any group</option>
            <NamedOptions items={groups} />
          </SelectField>
          <OutcomeSelect defaultValue={preset.filters.outcome} errors={err('outcome')} />
          <TextField name="from" label="From number" defaultValue={preset.filters.from} errors={err('from')} />
          <TextField name="to" label="To number" defaultValue={preset.filters.to} errors={err('to')} />
          <TextField name="min_duration" label="Min duration (s)" type="number" min={0} defaultValue={preset.filters.min_duration} errors={err('min_duration')} />
          <TextField name="max_duration" label="Max duration (s)" type="number" min={0} defaultValue={preset.filters.max_duration} errors={err('max_duration')} />
        </div>
        <StatusCheckboxes selected={presetStatus} errors={err('status')} />
      </fieldset>
    </FormDialog>
  );
}
