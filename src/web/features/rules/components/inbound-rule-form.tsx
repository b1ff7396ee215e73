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
}

/** Create or edit an inbound rule: a number pattern and the agent or group it sends calls to. */
export function InboundRuleDialog({ rule, agents, groups, onClose }: InboundRuleFormProps) {
  const create = useCreateInboundRule({ onSuccess: onClose });
  const update = useUpdateInboundRule({ onSuccess: onClose });
  const mutation = rule ? update : create;
  const [targetType, setTargetType] = useState<'agent' | 'group'>(rule?.target_type ?? (groups.length > 0 ? 'group' : 'agent'));
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const targets = targetType === 'group' ? groups : agents;

  const form = useSchemaForm({
    schema: inboundRuleBody,
    fields,
    serverError: mutation.error,
    resetServerError: mutation.reset,
    read: (element) => {
      const data = new FormData(element);
      const target = data.get('target_id');
      return {
        name: data.get('name'),
        pattern: data.get('pattern'),
        target_type: targetType,
        target_id: target === null || target === '' ? undefined : Number(target),
        priority: Number(data.get('priority')),
        enabled,
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
        <SelectField name="target_type" label="Send to" value={targetType} onChange={(e) => setTargetType(e.target.value === 'agent' ? 'agent' : 'group')} errors={form.errorsFor('target_type')}>
          <option value="group">A group</option>
          <option value="agent">One agent</option>
        </SelectField>
        <SelectField
          key={targetType}
          name="target_id"
          label={targetType === 'group' ? 'Group' : 'Agent'}
          defaultValue={rule?.target_type === targetType ? rule.target_id : undefined}
          errors={form.errorsFor('target_id')}
          help={targets.length === 0 ? `There is no ${targetType} yet: create one first.` : undefined}
        >
          <NamedOptions items={targets} />
        </SelectField>
      </div>
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
      <Switch checked={enabled} onChange={setEnabled} label="Enabled" showLabel />
    </FormDialog>
  );
}
