import { updateTenantBody } from '../../../../core/schemas/tenant.js';
import { Alert } from '../../../components/ui/alert.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import type { Tenant } from '../api/get-tenant.js';
import { useUpdateTenant } from '../api/update-tenant.js';
import { SaveBar } from './save-bar.js';

const fields = ['name', 'domain'] as const;

/** The organisation's name and its Cloudonix domain. */
export function TenantProfileForm({ tenant, canWrite }: { tenant: Tenant; canWrite: boolean }) {
  const update = useUpdateTenant();
  const form = useSchemaForm({
    schema: updateTenantBody,
    fields,
    serverError: update.error,
    resetServerError: update.reset,
    read: (element) => {
      const data = new FormData(element);
      return { name: data.get('name'), domain: data.get('domain') };
    },
    onValid: (input) => update.mutate(input),
  });
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} aria-label="Organisation">
      <fieldset disabled={!canWrite} className="space-y-4">
        {form.alert && <Alert title="Could not save">{form.alert}</Alert>}
        <TextField name="name" label="Organisation name" defaultValue={tenant.name} errors={form.errorsFor('name')} />
        <TextField
          name="domain"
          label="Cloudonix domain"
          defaultValue={tenant.domain}
          className="[&_input]:font-mono"
          help={canWrite ? 'Changing it changes the webhook URLs above: update Cloudonix at the same time.' : undefined}
          errors={form.errorsFor('domain')}
        />
      </fieldset>
      {canWrite && <SaveBar pending={update.isPending} saved={update.isSuccess} />}
    </form>
  );
}
