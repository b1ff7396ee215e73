import { UserPlus } from 'lucide-react';
import { addMemberBody } from '../../../../core/schemas/agent-group.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { SelectField } from '../../../components/ui/select-field.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useAddGroupMember } from '../api/add-group-member.js';
import type { GroupDetail } from '../api/get-group.js';

const fields = ['agent_id', 'priority', 'capacity'] as const;

export interface AgentOption {
  id: number;
  name: string;
  enabled: boolean;
}

/** Adds one of the tenant's agents that is not yet a member. */
export function AddMemberForm({ group, agents }: { group: GroupDetail; agents: readonly AgentOption[] }) {
  const add = useAddGroupMember();
  const taken = new Set(group.members.map((m) => m.agent_id));
  const available = agents.filter((a) => !taken.has(a.id));
  const nextPriority = Math.max(0, ...group.members.map((m) => m.priority)) + 1;
  const form = useSchemaForm({
    schema: addMemberBody,
    fields,
    serverError: add.error,
    resetServerError: add.reset,
    read: (element) => {
      const data = new FormData(element);
      return { agent_id: Number(data.get('agent_id')), priority: Number(data.get('priority')), capacity: Number(data.get('capacity')) };
    },
    onValid: (input) => add.mutate({ groupId: group.id, input }),
  });

  if (available.length === 0) {
    return <p className="text-sm text-slate-600">Every agent is already a member. Add agents on the Agents page to grow this group.</p>;
  }
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} className="space-y-3" aria-label="Add a member">
      {form.alert && <Alert title="Could not add the agent">{form.alert}</Alert>}
      <div className="flex flex-wrap items-start gap-3">
        <SelectField name="agent_id" label="Agent" className="min-w-48 flex-1" errors={form.errorsFor('agent_id')}>
          {available.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
              {a.enabled ? '' : ' (disabled)'}
            </option>
          ))}
        </SelectField>
        <TextField key={`p${nextPriority}`} name="priority" label="Priority" type="number" min={1} max={1000} defaultValue={nextPriority} className="w-28" errors={form.errorsFor('priority')} />
        <TextField name="capacity" label="Capacity" type="number" min={1} max={1000} defaultValue={1} className="w-28" errors={form.errorsFor('capacity')} />
        <Button type="submit" loading={add.isPending} className="mt-7" icon={<UserPlus className="size-4" aria-hidden="true" />}>
          Add member
        </Button>
      </div>
      <p className="text-xs text-slate-600">Lower priority numbers are tried first by the priority strategy. Capacity weights round robin and load balancing.</p>
    </form>
  );
}
