import { useState } from 'react';
import type { Tenant } from '../api/get-tenant.js';
import { Switch } from '../../../components/ui/switch.js';
import { TextField } from '../../../components/ui/text-field.js';
import { TextareaField } from '../../../components/ui/textarea-field.js';
import { TenantSettingsForm } from './tenant-settings-form.js';

const fields = ['settings.webhook_security.rotation_grace_hours', 'settings.webhook_security.allowed_sources'] as const;

/** Whether the Cloudonix webhooks must carry the secret, how long a rotated one keeps working, and which networks may send them. */
export function WebhookSecurityForm({ tenant, canWrite }: { tenant: Tenant; canWrite: boolean }) {
  const s = tenant.settings.webhook_security;
  const [requireSecret, setRequireSecret] = useState(s.require_secret);
  const read = (data: FormData) => {
    const grace = String(data.get(fields[0]) ?? '').trim();
    const sources = String(data.get(fields[1]) ?? '')
      .split(/[\s,]+/)
      .filter(Boolean);
    return { settings: { webhook_security: { require_secret: requireSecret, rotation_grace_hours: grace === '' ? Number.NaN : Number(grace), allowed_sources: sources } } };
  };
  return (
    <TenantSettingsForm label="Webhook security" canWrite={canWrite} fields={fields} read={read}>
      {(errorsFor) => (
        <>
          <div>
            <Switch checked={requireSecret} onChange={setRequireSecret} disabled={!canWrite} label="Require the webhook secret on every Cloudonix request" showLabel />
            {!requireSecret && <p className="mt-2 text-sm text-amber-800">Anyone who knows your domain can send webhooks while this is off. Use it for a first trial only.</p>}
          </div>
          <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name={fields[0]}
            label="Old secret keeps working for (hours)"
            type="number"
            min={0}
            max={168}
            defaultValue={s.rotation_grace_hours}
            help="After a rotation, so calls in progress complete and you have time to update Cloudonix (0–168; 0 stops it at once)."
            errors={errorsFor(fields[0])}
          />
          <TextareaField
            name={fields[1]}
            label="Accept webhooks only from"
            rows={4}
            defaultValue={s.allowed_sources.join('\n')}
            placeholder={'203.0.113.0/24\n2001:db8::/32'}
            help="Cloudonix’s networks, one address or CIDR per line (IPv4 or IPv6). Requests from elsewhere get 403. Empty accepts any address."
            errors={errorsFor(fields[1])}
            className="[&_textarea]:font-mono"
          />
          </div>
        </>
      )}
    </TenantSettingsForm>
  );
}
