import type { FocusEvent } from 'react';
import { domainFromInput } from '../../../../core/schemas/fields.js';
import { TextField } from '../../../components/ui/text-field.js';
import type { Tenant } from '../api/get-tenant.js';
import { TenantSettingsForm } from './tenant-settings-form.js';

const fields = ['name', 'domain'] as const;

/** A URL pasted as the domain shows as the host the server will keep. */
function trimPastedDomain(event: FocusEvent<HTMLInputElement>): void {
  const input = event.currentTarget;
  const host = domainFromInput(input.value).toLowerCase();
  if (host !== '' && host !== input.value) input.value = host;
}

/** The organisation's name and its Cloudonix domain. */
export function TenantProfileForm({ tenant, canWrite }: { tenant: Tenant; canWrite: boolean }) {
  const read = (data: FormData) => ({ name: data.get('name'), domain: data.get('domain') });
  return (
    <TenantSettingsForm label="Organisation" canWrite={canWrite} fields={fields} read={read}>
      {(errorsFor) => (
        <>
          <TextField name="name" label="Organisation name" defaultValue={tenant.name} errors={errorsFor('name')} />
          <TextField
            name="domain"
            label="Cloudonix domain"
            defaultValue={tenant.domain}
            className="[&_input]:font-mono"
            help={canWrite ? 'Changing it changes the webhook URLs above: update Cloudonix at the same time.' : undefined}
            onBlur={trimPastedDomain}
            errors={errorsFor('domain')}
          />
        </>
      )}
    </TenantSettingsForm>
  );
}
