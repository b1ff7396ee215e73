import { Info, TriangleAlert } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { createVoiceAgentBody } from '../../../../core/schemas/voice-agent.js';
import { CallerContextFields } from '../../../components/caller-context/caller-context-fields.js';
import { dialOptionFieldNames, readDialOptions } from '../../../components/caller-context/read-dial-options.js';
import { FormDialog } from '../../../components/ui/form-dialog.js';
import { SearchableSelect, type SearchableOption } from '../../../components/ui/searchable-select.js';
import { SelectField } from '../../../components/ui/select-field.js';
import { Switch } from '../../../components/ui/switch.js';
import { TextField } from '../../../components/ui/text-field.js';
import { TextareaField } from '../../../components/ui/textarea-field.js';
import { UnsavedChangesDialog } from '../../../components/ui/unsaved-changes-dialog.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useUnsavedChanges } from '../../../lib/use-unsaved-changes.js';
import { useCreateAgent } from '../api/create-agent.js';
import { useNamesakes } from '../api/find-namesakes.js';
import type { VoiceAgent } from '../api/get-agents.js';
import type { Provider } from '../api/get-providers.js';
import { useUpdateAgent } from '../api/update-agent.js';

const fields = ['name', 'provider', 'service_value', 'max_concurrent_calls', 'pool_id', 'username', 'password', 'description', ...dialOptionFieldNames('dial_options')];

function text(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value : '';
}

const transportGroup = { sip: 'Phone number (SIP)', websocket: 'WebSocket URL' } as const;

function providerOptions(providers: readonly Provider[]): SearchableOption[] {
  return providers.map((p) => ({ value: p.id, label: p.name, group: transportGroup[p.transport], keywords: (p.aliases ?? []).join(' ') }));
}

/** A heads-up under a field: not an error, the form still saves. */
function FieldWarning({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="-mt-3 flex gap-1.5 text-xs text-amber-800">
      <TriangleAlert className="size-3.5 shrink-0 translate-y-px" aria-hidden="true" />
      <span>{children}</span>
    </p>
  );
}

interface AgentFormProps {
  /** The agent being edited; a new one when absent. */
  agent?: VoiceAgent | undefined;
  providers: readonly Provider[];
  /** The tenant's provider pools, for the pool picker (a pool for another provider is not offered). */
  pools?: readonly PoolChoice[];
  onClose: () => void;
}

/** A provider pool as the picker offers it. */
export interface PoolChoice {
  id: number;
  name: string;
  provider: string | null;
  max_concurrent_calls: number;
}

/**
 * Create or edit a voice agent. The service value's label, example and help follow the
 * chosen provider. Credentials are write-only: the form shows whether they are set,
 * never their value; leave them empty to keep them.
 */
export function AgentFormDialog({ agent, providers, pools = [], onClose }: AgentFormProps) {
  // Any edit makes closing the dialog, or leaving the page, ask first; a save lets it go.
  const [dirty, setDirty] = useState(false);
  const { prompt, confirmLeave, release } = useUnsavedChanges(dirty);
  const saved = () => {
    release();
    onClose();
  };
  const create = useCreateAgent({ onSuccess: saved });
  const update = useUpdateAgent({ onSuccess: saved });
  const mutation = agent ? update : create;
  const [providerId, setProviderId] = useState(agent?.provider ?? providers[0]?.id ?? 'vapi');
  const [enabled, setEnabled] = useState(agent?.enabled ?? true);
  const provider = providers.find((p) => p.id === providerId);
  const hasCredentials = Boolean(agent && (agent.has_username || agent.has_password));
  const close = () => confirmLeave(onClose);
  // Name and target as last left, for the duplicate check (not on every keystroke).
  const [probe, setProbe] = useState({ name: agent?.name ?? '', serviceValue: agent?.service_value ?? '' });
  const namesakes = useNamesakes({ ...probe, provider, exceptId: agent?.id }).data;

  const form = useSchemaForm({
    schema: createVoiceAgentBody,
    fields,
    serverError: mutation.error,
    resetServerError: mutation.reset,
    read: (element) => {
      const data = new FormData(element);
      const max = text(data, 'max_concurrent_calls').trim();
      const body: Record<string, unknown> = {
        name: text(data, 'name'),
        provider: text(data, 'provider'),
        service_value: text(data, 'service_value'),
        max_concurrent_calls: max === '' ? null : Number(max),
        pool_id: text(data, 'pool_id') === '' ? null : Number(text(data, 'pool_id')),
        description: text(data, 'description'),
        dial_options: readDialOptions(data, 'dial_options', provider?.transport ?? 'sip'),
        enabled,
      };
      if (data.get('clear_credentials') === 'on') {
        body.username = null;
        body.password = null;
      } else {
        // Empty means "keep what is stored" (or "none" for a new agent).
        if (text(data, 'username') !== '') body.username = text(data, 'username');
        if (text(data, 'password') !== '') body.password = text(data, 'password');
      }
      return body;
    },
    onValid: (data) => {
      if (agent) {
        const { enabled: _enabled, ...changes } = data;
        update.mutate({ id: agent.id, input: changes });
      } else {
        create.mutate(data);
      }
    },
  });

  const keepHint = (set: boolean | undefined) => (set ? 'A value is stored. Leave empty to keep it.' : 'Optional. Only if your provider asks for one.');

  return (
    <>
      <FormDialog
        title={agent ? `Edit ${agent.name}` : 'New voice agent'}
        description="An AI voice agent that Cloudonix dials through its provider."
        onClose={close}
        form={form}
        onDirty={() => setDirty(true)}
        alertTitle={agent ? 'Could not save the agent' : 'Could not create the agent'}
        submitLabel={agent ? 'Save changes' : 'Create agent'}
        pending={mutation.isPending}
      >
        <TextField
          name="name"
          label="Name"
          defaultValue={agent?.name}
          data-autofocus
          onBlur={(e) => setProbe((p) => ({ ...p, name: e.target.value }))}
          errors={form.errorsFor('name')}
        />
        {namesakes?.sameName && !form.errorsFor('name') && (
          <FieldWarning>Another agent is already named “{namesakes.sameName.name}”. Names must differ, so choose another one.</FieldWarning>
        )}
        <SearchableSelect
          name="provider"
          label="Provider"
          options={providerOptions(providers)}
          value={providerId}
          onChange={(id) => {
            setDirty(true);
            setProviderId(id);
          }}
          placeholder="Type to search providers"
          help="The company that hosts this AI agent. Cloudonix reaches it by phone number (SIP) or by WebSocket URL."
          errors={form.errorsFor('provider')}
        />
        {provider?.note && (
          <p className="flex gap-2 rounded-md bg-sky-50 p-3 text-xs text-sky-900">
            <Info className="size-4 shrink-0" aria-hidden="true" />
            {provider.note}
          </p>
        )}
        <TextField
          key={provider?.service_value.kind}
          name="service_value"
          label={provider?.service_value.label ?? 'Service value'}
          defaultValue={agent?.service_value}
          onBlur={(e) => setProbe((p) => ({ ...p, serviceValue: e.target.value }))}
          placeholder={provider?.service_value.example}
          autoCapitalize="none"
          spellCheck={false}
          className="[&_input]:font-mono"
          help={provider ? `${provider.service_value.help} For example ${provider.service_value.example}.` : undefined}
          errors={form.errorsFor('service_value')}
        />
        {namesakes && namesakes.sameTarget.length > 0 && !form.errorsFor('service_value') && (
          <FieldWarning>
            {namesakes.sameTarget.map((a) => `“${a.name}”`).join(', ')} already {namesakes.sameTarget.length === 1 ? 'dials' : 'dial'} this {provider?.transport === 'websocket' ? 'URL' : 'number'}.
            You can save anyway, but both agents then count their calls and caps separately.
          </FieldWarning>
        )}
        <TextField
          name="max_concurrent_calls"
          label="Maximum concurrent calls"
          type="number"
          min={1}
          max={10000}
          inputMode="numeric"
          defaultValue={agent?.max_concurrent_calls ?? ''}
          placeholder="No limit"
          help="At this many live calls the agent is skipped: a new call goes to the next agent of its group, or to the fallback when every agent is at its cap. Calls never wait. Empty for no limit."
          errors={form.errorsFor('max_concurrent_calls')}
        />
        {(pools.length > 0 || agent?.pool_id != null) && (
          <SelectField
            key={providerId}
            name="pool_id"
            label="Provider pool"
            defaultValue={agent?.pool_id ?? ''}
            help="Agents on one provider account share its limit of concurrent calls. When the pool is full, its agents are skipped like an agent at its cap."
            errors={form.errorsFor('pool_id')}
          >
            <option value="">No pool</option>
            {pools
              .filter((p) => p.provider === null || p.provider === providerId || p.id === agent?.pool_id)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({p.max_concurrent_calls} calls)
                </option>
              ))}
          </SelectField>
        )}
        <fieldset className="space-y-4 rounded-lg border border-slate-200 p-4">
          <legend className="px-1 text-sm font-semibold text-slate-900">Credentials (write-only)</legend>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField name="username" label="Username" autoComplete="off" help={keepHint(agent?.has_username)} errors={form.errorsFor('username')} />
            <TextField name="password" label="Password" type="password" autoComplete="new-password" help={keepHint(agent?.has_password)} errors={form.errorsFor('password')} />
          </div>
          {hasCredentials && (
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name="clear_credentials" className="size-4 rounded border-slate-300 accent-indigo-600" />
              Remove the stored credentials
            </label>
          )}
        </fieldset>
        <CallerContextFields
          prefix="dial_options"
          initial={agent?.dial_options}
          scope={provider?.transport ?? 'sip'}
          inheritHint="What the agent is told about each call. When the call comes through a group, empty fields take the group's caller context, and a header or parameter named like one of the group's replaces it."
          errorsFor={form.errorsFor}
        />
        <TextareaField name="description" label="Description" defaultValue={agent?.description ?? ''} help="Optional: what this agent does, for your team." errors={form.errorsFor('description')} />
        {!agent && (
          <Switch
            checked={enabled}
            onChange={(on) => {
              setDirty(true);
              setEnabled(on);
            }}
            label="Enabled: takes calls as soon as it is saved"
            showLabel
          />
        )}
      </FormDialog>
      <UnsavedChangesDialog prompt={prompt} what="changes to this agent" />
    </>
  );
}
