import { useState } from 'react';
import { providerPoolBody } from '../../../../core/schemas/provider-pool.js';
import { FormDialog } from '../../../components/ui/form-dialog.js';
import { SearchableSelect, type SearchableOption } from '../../../components/ui/searchable-select.js';
import { TextField } from '../../../components/ui/text-field.js';
import { UnsavedChangesDialog } from '../../../components/ui/unsaved-changes-dialog.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useUnsavedChanges } from '../../../lib/use-unsaved-changes.js';
import type { ProviderPool } from '../api/get-pools.js';
import { useCreatePool, useUpdatePool } from '../api/save-pool.js';

const ANY_PROVIDER = '';

/** Create or edit a provider pool: a name, the provider account's concurrency limit, and optionally the provider. */
export function PoolFormDialog({ pool, providers, onClose }: { pool?: ProviderPool | undefined; providers: readonly { id: string; name: string }[]; onClose: () => void }) {
  const [dirty, setDirty] = useState(false);
  const { prompt, confirmLeave, release } = useUnsavedChanges(dirty);
  const saved = () => {
    release();
    onClose();
  };
  const create = useCreatePool({ onSuccess: saved });
  const update = useUpdatePool({ onSuccess: saved });
  const mutation = pool ? update : create;
  const [provider, setProvider] = useState(pool?.provider ?? ANY_PROVIDER);
  const options: SearchableOption[] = [{ value: ANY_PROVIDER, label: 'Any provider' }, ...[...providers].sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({ value: p.id, label: p.name }))];

  const form = useSchemaForm({
    schema: providerPoolBody,
    fields: ['name', 'provider', 'max_concurrent_calls'],
    serverError: mutation.error,
    resetServerError: mutation.reset,
    read: (element) => {
      const data = new FormData(element);
      const limit = String(data.get('max_concurrent_calls') ?? '').trim();
      return { name: data.get('name'), provider: provider === ANY_PROVIDER ? null : provider, max_concurrent_calls: limit === '' ? undefined : Number(limit) };
    },
    onValid: (input) => (pool ? update.mutate({ id: pool.id, input }) : create.mutate(input)),
  });

  return (
    <>
      <FormDialog
        title={pool ? `Edit ${pool.name}` : 'New provider pool'}
        description="Agents that share one provider account, and the account's limit of concurrent calls across all of them."
        onClose={() => confirmLeave(onClose)}
        form={form}
        onDirty={() => setDirty(true)}
        alertTitle="Could not save the pool"
        submitLabel={pool ? 'Save changes' : 'Create pool'}
        pending={mutation.isPending}
      >
        <TextField name="name" label="Name" defaultValue={pool?.name} data-autofocus placeholder="VAPI organisation" errors={form.errorsFor('name')} />
        <TextField
          name="max_concurrent_calls"
          label="Concurrent calls across the pool"
          type="number"
          min={1}
          max={10000}
          inputMode="numeric"
          defaultValue={pool?.max_concurrent_calls ?? ''}
          help="Your provider account's limit (e.g. 10 for a VAPI organisation). At this many live calls on the pool's agents together, they are skipped: a new call goes to the next agent outside the pool, or to the fallback."
          errors={form.errorsFor('max_concurrent_calls')}
        />
        <SearchableSelect
          name="provider"
          label="Provider"
          options={options}
          sort={false}
          value={provider}
          onChange={(id) => {
            setDirty(true);
            setProvider(id);
          }}
          placeholder="Type to search providers"
          help="Optional: only agents of this provider may join the pool."
          errors={form.errorsFor('provider')}
        />
      </FormDialog>
      <UnsavedChangesDialog prompt={prompt} what="changes to this pool" />
    </>
  );
}
