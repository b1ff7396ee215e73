import { useState } from 'react';
import { inboundRuleBody } from '../../../../core/schemas/routing-rules.js';
import { FormDialog } from '../../../components/ui/form-dialog.js';
import { NamedOptions, SelectField } from '../../../components/ui/select-field.js';
import { Switch } from '../../../components/ui/switch.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useCreateInboundRule } from '../api/create-inbound-rule.js';
import type { InboundRule } from '../api/get-inbound-rules.js';
import { useUpdateInboundRule } from '../api/update-inbound-rule.js';
import { patternHelp } from './pattern-help.js';
import { draftOf, scheduleInput } from './schedule-draft.js';
import { ScheduleEditor } from './schedule-editor.js';
import { SplitArmsEditor } from './split-arms-editor.js';
import { armsDraftOf, splitInput } from './split-draft.js';

const fields = ['name', 'pattern', 'target_type', 'target_id', 'priority'] as const;

export interface TargetOption {
  id: number;
  name: string;
}

interface InboundRuleFormProps {
  rule?: InboundRule | undefined;
  agents: readonly TargetOption[];
  groups: readonly TargetOption[];
  onClose: () => void;
  /** The tenant's time zone, in which the schedule is read. */
  timeZone?: string | undefined;
}

/** Create or edit an inbound rule: a number pattern and the agent or group it sends calls to. */
export function InboundRuleDialog({ rule, agents, groups, onClose, timeZone }: InboundRuleFormProps) {
  const create = useCreateInboundRule({ onSuccess: onClose });
  const update = useUpdateInboundRule({ onSuccess: onClose });
  const mutation = rule ? update : create;
  const [targetType, setTargetType] = useState<'agent' | 'group' | 'split'>(rule?.target_type ?? (groups.length > 0 ? 'group' : 'agent'));
  const [arms, setArms] = useState(() => armsDraftOf(rule?.split, groups[0] ? `group:${groups[0].id}` : agents[0] ? `agent:${agents[0].id}` : ''));
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const targets = targetType === 'group' ? groups : agents;
  const [schedule, setSchedule] = useState(() => draftOf(rule?.schedule));
  // Each window and holiday shows its own messages.
  const shown = [...fields, 'split', ...arms.map((_, i) => `split.${i}`), 'schedule', ...schedule.windows.map((_, i) => `schedule.windows.${i}`), ...schedule.holidays.map((_, i) => `schedule.holidays.${i}`)];

  const form = useSchemaForm({
    schema: inboundRuleBody,
    fields: shown,
    serverError: mutation.error,
    resetServerError: mutation.reset,
    read: (element) => {
      const data = new FormData(element);
      const target = data.get('target_id');
      return {
        name: data.get('name'),
        pattern: data.get('pattern'),
        target_type: targetType,
        target_id: targetType === 'split' || target === null || target === '' ? undefined : Number(target),
        split: targetType === 'split' ? splitInput(arms) : undefined,
        priority: Number(data.get('priority')),
        enabled,
        schedule: scheduleInput(schedule),
      };
    },
    onValid: (input) => (rule ? update.mutate({ id: rule.id, input }) : create.mutate(input)),
  });

  return (
    <FormDialog
      title={rule ? 'Edit inbound rule' : 'New inbound rule'}
      description="Calls to numbers that match the pattern go to the chosen agent or group."
      onClose={onClose}
      form={form}
      alertTitle="Could not save the rule"
      submitLabel={rule ? 'Save changes' : 'Create rule'}
      pending={mutation.isPending}
    >
      <TextField
        name="pattern"
        label="Dialled number pattern"
        defaultValue={rule?.pattern}
        placeholder="+1212*"
        className="[&_input]:font-mono"
        data-autofocus
        help={patternHelp}
        errors={form.errorsFor('pattern')}
      />
      <div className="grid gap-4 sm:grid-cols-[10rem_minmax(0,1fr)]">
        <SelectField name="target_type" label="Send to" value={targetType} onChange={(e) => setTargetType(e.target.value === 'agent' ? 'agent' : e.target.value === 'split' ? 'split' : 'group')} errors={form.errorsFor('target_type')}>
          <option value="group">A group</option>
          <option value="agent">One agent</option>
          <option value="split">Split traffic</option>
        </SelectField>
        {targetType !== 'split' && (
          <SelectField
            key={targetType}
            name="target_id"
            label={targetType === 'group' ? 'Group' : 'Agent'}
            defaultValue={rule?.target_type === targetType ? (rule.target_id ?? undefined) : undefined}
            errors={form.errorsFor('target_id')}
            help={targets.length === 0 ? `There is no ${targetType} yet: create one first.` : undefined}
          >
            <NamedOptions items={targets} />
          </SelectField>
        )}
      </div>
      {targetType === 'split' && <SplitArmsEditor arms={arms} onChange={setArms} agents={agents} groups={groups} errorsFor={form.errorsFor} />}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="name" label="Name" defaultValue={rule?.name ?? ''} help="Optional, e.g. “New York sales line”." errors={form.errorsFor('name')} />
        <TextField
          name="priority"
          label="Priority"
          type="number"
          min={1}
          max={10000}
          defaultValue={rule?.priority ?? 100}
          help="Lower numbers are tried first (1–10000)."
          errors={form.errorsFor('priority')}
        />
      </div>
      <ScheduleEditor draft={schedule} onChange={setSchedule} errorsFor={form.errorsFor} timeZone={timeZone} />
      <Switch checked={enabled} onChange={setEnabled} label="Enabled" showLabel />
    </FormDialog>
  );
}
