import { useState } from 'react';
import { agentGroupBody, type GroupSettingsView } from '../../../../core/schemas/agent-group.js';
import type { StrategyName } from '../../../../core/strategies/types.js';
import type { DialOptionsInput } from '../../../../core/schemas/dial-options.js';
import { CallerContextFields } from '../../../components/caller-context/caller-context-fields.js';
import { dialOptionFieldNames, readDialOptions } from '../../../components/caller-context/read-dial-options.js';
import { FormDialog } from '../../../components/ui/form-dialog.js';
import { Switch } from '../../../components/ui/switch.js';
import { TextField } from '../../../components/ui/text-field.js';
import { UnsavedChangesDialog } from '../../../components/ui/unsaved-changes-dialog.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useUnsavedChanges } from '../../../lib/use-unsaved-changes.js';
import { useCreateGroup } from '../api/create-group.js';
import type { GroupDetail } from '../api/get-group.js';
import type { AgentGroup } from '../api/get-groups.js';
import { useUpdateGroup } from '../api/update-group.js';
import { RETURNING_CALLERS_TTL_FIELD, ReturningCallersFields } from './returning-callers-fields.js';
import { StrategyPicker } from './strategy-picker.js';

const fields = ['name', 'strategy', 'settings.max_attempts', 'settings.window_hours', RETURNING_CALLERS_TTL_FIELD, ...dialOptionFieldNames('settings.dial_options')];

function setting<K extends 'max_attempts' | 'fallback_enabled' | 'failover_on_busy' | 'window_hours'>(
  group: AgentGroup | undefined,
  key: K,
  fallback: NonNullable<GroupSettingsView[K]>,
): NonNullable<GroupSettingsView[K]> {
  return group?.settings[key] ?? fallback;
}

/** Create or edit a group: its name, strategy, failover settings and the caller context its members get. */
export function GroupFormDialog({ group, onClose, onCreated }: { group?: AgentGroup | undefined; onClose: () => void; onCreated?: (g: GroupDetail) => void }) {
  // Any edit (typing, a switch, another strategy) makes the form ask before it is closed or left.
  const [dirty, setDirty] = useState(false);
  const { prompt, confirmLeave, release } = useUnsavedChanges(dirty);
  const create = useCreateGroup({
    onSuccess: (g) => {
      release();
      if (onCreated) onCreated(g);
      else onClose();
    },
  });
  const update = useUpdateGroup({
    onSuccess: () => {
      release();
      onClose();
    },
  });
  const mutation = group ? update : create;
  const [strategy, setStrategy] = useState<StrategyName>(group?.strategy ?? 'round_robin');
  const [fallback, setFallback] = useState(setting(group, 'fallback_enabled', true));
  const [onBusy, setOnBusy] = useState(setting(group, 'failover_on_busy', false));
  const [enabled, setEnabled] = useState(group?.enabled ?? true);
  const storedReturning = group?.settings.returning_callers;
  const [returning, setReturning] = useState(storedReturning?.enabled ?? false);
  const storedDialOptions: DialOptionsInput | null = group?.settings.dial_options ?? null;
  const close = () => confirmLeave(onClose);
  const edit = <T,>(set: (value: T) => void) => (value: T) => {
    setDirty(true);
    set(value);
  };

  const form = useSchemaForm({
    schema: agentGroupBody,
    fields,
    serverError: mutation.error,
    resetServerError: mutation.reset,
    read: (element) => {
      const data = new FormData(element);
      const settings: Record<string, unknown> = {
        max_attempts: Number(data.get('settings.max_attempts')),
        fallback_enabled: fallback,
        failover_on_busy: onBusy,
      };
      if (strategy === 'load_balanced') settings.window_hours = Number(data.get('settings.window_hours'));
      // Off is saved as off only for a group that had it; others keep their settings free of it.
      if (returning || storedReturning) settings.returning_callers = { enabled: returning, ttl_minutes: Number(data.get(RETURNING_CALLERS_TTL_FIELD)) };
      const dialOptions = readDialOptions(data, 'settings.dial_options', 'both');
      // Null clears options the group had; a group that never had any keeps its settings free of them.
      if (Object.keys(dialOptions).length > 0) settings.dial_options = dialOptions;
      else if (storedDialOptions) settings.dial_options = null;
      return { name: data.get('name'), strategy, settings, enabled };
    },
    onValid: (input) => (group ? update.mutate({ id: group.id, input }) : create.mutate(input)),
  });

  return (
    <>
      <FormDialog
        title={group ? `Edit ${group.name}` : 'New group'}
        description="A group shares its calls among its member agents by a strategy."
        onClose={close}
        form={form}
        onDirty={() => setDirty(true)}
        alertTitle="Could not save the group"
        submitLabel={group ? 'Save changes' : 'Create group'}
        pending={mutation.isPending}
      >
        <TextField name="name" label="Name" defaultValue={group?.name} data-autofocus errors={form.errorsFor('name')} />
        <StrategyPicker value={strategy} onChange={edit(setStrategy)} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="settings.max_attempts"
            label="Agents tried per call"
            type="number"
            min={1}
            max={10}
            defaultValue={setting(group, 'max_attempts', 3)}
            help="When an agent does not answer, the next one is dialled, up to this many (1–10)."
            errors={form.errorsFor('settings.max_attempts')}
          />
          {strategy === 'load_balanced' && (
            <TextField
              name="settings.window_hours"
              label="Window (hours)"
              type="number"
              min={1}
              max={168}
              defaultValue={setting(group, 'window_hours', 24)}
              help="Calls in this many past hours count towards the load (1–168)."
              errors={form.errorsFor('settings.window_hours')}
            />
          )}
        </div>
        <div className="space-y-3">
          <Switch checked={fallback} onChange={edit(setFallback)} label="Use the tenant's fallback route when every agent failed or is at its cap" showLabel />
          <Switch checked={onBusy} onChange={edit(setOnBusy)} label="Try the next agent when one is busy" showLabel />
          <Switch checked={enabled} onChange={edit(setEnabled)} label="Enabled" showLabel />
        </div>
        <ReturningCallersFields enabled={returning} onEnabledChange={edit(setReturning)} ttlMinutes={storedReturning?.ttl_minutes ?? 60} errors={form.errorsFor(RETURNING_CALLERS_TTL_FIELD)} />
        <CallerContextFields
          prefix="settings.dial_options"
          initial={storedDialOptions}
          scope="both"
          inheritHint="What every member is told about each call. A member's own caller context wins field by field; headers and parameters are merged by name."
          errorsFor={form.errorsFor}
        />
      </FormDialog>
      <UnsavedChangesDialog prompt={prompt} what="changes to this group" />
    </>
  );
}
