import { useState } from 'react';
import { outboundRuleBody } from '../../../../core/schemas/routing-rules.js';
import { FormDialog } from '../../../components/ui/form-dialog.js';
import { Switch } from '../../../components/ui/switch.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useCreateOutboundRule } from '../api/create-outbound-rule.js';
import type { OutboundRule } from '../api/get-outbound-rules.js';
import { useUpdateOutboundRule } from '../api/update-outbound-rule.js';
import { patternHelp } from './pattern-help.js';

const fields = ['name', 'caller_id', 'destination_pattern', 'trunk_config.trunks', 'trunk_config.caller_id', 'priority'] as const;

/** "12, 14" → [12, 14]; "carrier-a, carrier-b" → names. */
function parseTrunks(text: string): (string | number)[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : t));
}

/** Create or edit an outbound rule: which agents' calls leave through which Cloudonix trunks. */
export function OutboundRuleDialog({ rule, onClose }: { rule?: OutboundRule | undefined; onClose: () => void }) {
  const create = useCreateOutboundRule({ onSuccess: onClose });
  const update = useUpdateOutboundRule({ onSuccess: onClose });
  const mutation = rule ? update : create;
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);

  const form = useSchemaForm({
    schema: outboundRuleBody,
    fields,
    serverError: mutation.error,
    resetServerError: mutation.reset,
    read: (element) => {
      const data = new FormData(element);
      const text = (name: string) => String(data.get(name) ?? '');
      return {
        name: text('name'),
        caller_id: text('caller_id'),
        destination_pattern: text('destination_pattern') || '*',
        trunk_config: { trunks: parseTrunks(text('trunk_config.trunks')), caller_id: text('trunk_config.caller_id') || null },
        priority: Number(text('priority')),
        enabled,
      };
    },
    onValid: (input) => (rule ? update.mutate({ id: rule.id, input }) : create.mutate(input)),
  });

  return (
    <FormDialog
      title={rule ? `Edit ${rule.name}` : 'New outbound rule'}
      description="When an agent calls out through your domain with a matching caller ID, the call leaves through these trunks."
      onClose={onClose}
      form={form}
      alertTitle="Could not save the rule"
      submitLabel={rule ? 'Save changes' : 'Create rule'}
      pending={mutation.isPending}
    >
      <TextField name="name" label="Name" defaultValue={rule?.name} data-autofocus errors={form.errorsFor('name')} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="caller_id" label="Agent caller ID pattern" defaultValue={rule?.caller_id} placeholder="+1555000????" className="[&_input]:font-mono" errors={form.errorsFor('caller_id')} />
        <TextField
          name="destination_pattern"
          label="Destination pattern"
          defaultValue={rule?.destination_pattern ?? '*'}
          className="[&_input]:font-mono"
          errors={form.errorsFor('destination_pattern')}
        />
      </div>
      <p className="-mt-2 text-xs text-slate-600">{patternHelp}</p>
      <TextField
        name="trunk_config.trunks"
        label="Trunks"
        defaultValue={rule?.trunk_config.trunks.join(', ')}
        placeholder="carrier-a, carrier-b"
        help="Cloudonix trunk names, or numeric trunk ids, separated by commas (at most 10)."
        errors={form.errorsFor('trunk_config.trunks')}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          name="trunk_config.caller_id"
          label="Caller ID shown"
          defaultValue={rule?.trunk_config.caller_id ?? ''}
          placeholder="Agent's own"
          help="Optional: the number the called party sees."
          errors={form.errorsFor('trunk_config.caller_id')}
        />
        <TextField name="priority" label="Priority" type="number" min={1} max={10000} defaultValue={rule?.priority ?? 100} help="Lower numbers are tried first." errors={form.errorsFor('priority')} />
      </div>
      <Switch checked={enabled} onChange={setEnabled} label="Enabled" showLabel />
    </FormDialog>
  );
}
