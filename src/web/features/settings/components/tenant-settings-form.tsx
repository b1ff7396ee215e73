import type { ReactNode } from 'react';
import { updateTenantBody } from '../../../../core/schemas/tenant.js';
import { Alert } from '../../../components/ui/alert.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useUpdateTenant } from '../api/update-tenant.js';
import { SaveBar } from './save-bar.js';

interface TenantSettingsFormProps {
  /** The form's accessible name. */
  label: string;
  canWrite: boolean;
  /** Names of the inputs the form shows. */
  fields: readonly string[];
  /** Turns the form's data into the tenant update it saves. */
  read: (data: FormData) => unknown;
  /** The fields, given each field's messages by name. */
  children: (errorsFor: (name: string) => string[] | undefined) => ReactNode;
}

/**
 * One section of the settings page: saves part of the tenant with the server's schema, and is
 * read-only (no save button, disabled fields) for people who cannot write.
 */
export function TenantSettingsForm({ label, canWrite, fields, read, children }: TenantSettingsFormProps) {
  const update = useUpdateTenant();
  const form = useSchemaForm({
    schema: updateTenantBody,
    fields,
    serverError: update.error,
    resetServerError: update.reset,
    read: (element) => read(new FormData(element)),
    onValid: (input) => update.mutate(input),
  });
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} aria-label={label}>
      <fieldset disabled={!canWrite} className="space-y-4">
        {form.alert && <Alert title="Could not save">{form.alert}</Alert>}
        {children(form.errorsFor)}
      </fieldset>
      {canWrite && <SaveBar pending={update.isPending} saved={update.isSuccess} />}
    </form>
  );
}
