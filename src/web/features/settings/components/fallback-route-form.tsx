import { useState } from 'react';
import { fallbackRejectReasons, type FallbackRoute } from '../../../../core/schemas/tenant.js';
import { NamedOptions, SelectField } from '../../../components/ui/select-field.js';
import { TextField } from '../../../components/ui/text-field.js';
import type { Tenant } from '../api/get-tenant.js';
import { TenantSettingsForm } from './tenant-settings-form.js';

type FallbackType = FallbackRoute['type'];
const fields = [
  'settings.fallback.type',
  'settings.fallback.message',
  'settings.fallback.number',
  'settings.fallback.agent_id',
  'settings.fallback.group_id',
  'settings.fallback.reason',
] as const;

const choices: { type: FallbackType; label: string }[] = [
  { type: 'hangup', label: 'Hang up' },
  { type: 'message', label: 'Play a message, then hang up' },
  { type: 'number', label: 'Forward to a phone number' },
  { type: 'agent', label: 'Send to an agent' },
  { type: 'group', label: 'Send to a group' },
  { type: 'reject', label: 'Reject the call unanswered' },
];

type RejectReason = (typeof fallbackRejectReasons)[number];
const rejectReasonLabels: Record<RejectReason, string> = {
  busy: 'Busy',
  rejected: 'Rejected',
  congestion: 'Congestion (network busy)',
};

interface FallbackRouteFormProps {
  tenant: Tenant;
  canWrite: boolean;
  agents: readonly { id: number; name: string }[];
  groups: readonly { id: number; name: string }[];
}

/** What callers get when no rule matches or every agent failed. */
export function FallbackRouteForm({ tenant, canWrite, agents, groups }: FallbackRouteFormProps) {
  const current = tenant.settings.fallback;
  const [type, setType] = useState<FallbackType>(current.type);
  const read = (data: FormData) => {
    const text = (k: string) => String(data.get(`settings.fallback.${k}`) ?? '');
    const fallback: Record<string, unknown> = { type };
    if (type === 'message') fallback.message = text('message');
    if (type === 'number') fallback.number = text('number');
    if (type === 'agent') fallback.agent_id = Number(text('agent_id'));
    if (type === 'group') fallback.group_id = Number(text('group_id'));
    if (type === 'reject') fallback.reason = text('reason');
    return { settings: { fallback } };
  };
  const options = type === 'agent' ? agents : groups;

  return (
    <TenantSettingsForm label="Fallback route" canWrite={canWrite} fields={fields} read={read}>
      {(errorsFor) => (
        <>
          <SelectField name="settings.fallback.type" label="When no agent can take a call" value={type} onChange={(e) => setType(e.target.value as FallbackType)}>
            {choices.map((c) => (
              <option key={c.type} value={c.type}>
                {c.label}
              </option>
            ))}
          </SelectField>
          {type === 'message' && (
            <TextField
              name="settings.fallback.message"
              label="Message"
              defaultValue={current.type === 'message' ? current.message : 'Sorry, nobody can take your call right now. Please try again later.'}
              errors={errorsFor('settings.fallback.message')}
            />
          )}
          {type === 'number' && (
            <TextField
              name="settings.fallback.number"
              label="Phone number"
              placeholder="+12125550100"
              defaultValue={current.type === 'number' ? current.number : ''}
              errors={errorsFor('settings.fallback.number')}
            />
          )}
          {(type === 'agent' || type === 'group') && (
            <SelectField
              key={type}
              name={`settings.fallback.${type}_id`}
              label={type === 'agent' ? 'Agent' : 'Group'}
              defaultValue={current.type === 'agent' ? current.agent_id : current.type === 'group' ? current.group_id : undefined}
              help={options.length === 0 ? `Create ${type === 'agent' ? 'an agent' : 'a group'} first.` : undefined}
              errors={errorsFor(`settings.fallback.${type}_id`)}
            >
              <NamedOptions items={options} />
            </SelectField>
          )}
          {type === 'reject' && (
            <SelectField
              name="settings.fallback.reason"
              label="Reason given to the carrier"
              defaultValue={current.type === 'reject' ? current.reason : 'busy'}
              help="The call is refused without being answered, and the carrier is told why. With busy or congestion the carrier may reroute the call, for example to another destination you set up with it."
              errors={errorsFor('settings.fallback.reason')}
            >
              {fallbackRejectReasons.map((reason) => (
                <option key={reason} value={reason}>
                  {rejectReasonLabels[reason]}
                </option>
              ))}
            </SelectField>
          )}
        </>
      )}
    </TenantSettingsForm>
  );
}
