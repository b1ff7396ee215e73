import { webhookEventTypes } from '../../../../core/schemas/audit.js';
import { SearchInput } from '../../../components/ui/search-input.js';
import { SelectField } from '../../../components/ui/select-field.js';
import { Switch } from '../../../components/ui/switch.js';
import { TextField } from '../../../components/ui/text-field.js';
import { humanize } from '../../../lib/format.js';
import { entityWord } from '../entity-label.js';

type Values = Readonly<Partial<Record<string, string | number>>>;

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const read = (values: Values, key: string): string => String(values[key] ?? '');
type OnChange = (patch: Record<string, string>) => void;

const outcomes = ['ok', 'invalid', 'duplicate', 'error', 'unauthorized', 'forbidden_source', 'unverified_session', 'suppressed'] as const;
const entityTypes = ['voice_agent', 'agent_group', 'inbound_rule', 'outbound_rule', 'tenant', 'user', 'invitation', 'privacy', 'cloudonix_connection'] as const;

function DateRange({ values, onChange }: { values: Values; onChange: OnChange }) {
  return (
    <>
      <TextField name="start_date" label="From date" type="date" value={read(values, 'start_date')} onChange={(e) => onChange({ start_date: e.target.value })} className="w-36" />
      <TextField name="end_date" label="To date" type="date" value={read(values, 'end_date')} onChange={(e) => onChange({ end_date: e.target.value })} className="w-36" />
    </>
  );
}

/** Filters of the webhook audit; each change applies at once. */
export function WebhookAuditFilters({ values, onChange }: { values: Values; onChange: OnChange }) {
  return (
    <>
      <SelectField name="event_type" label="Webhook" value={read(values, 'event_type')} onChange={(e) => onChange({ event_type: e.target.value })} className="w-44">
        <option value="">All webhooks</option>
        {webhookEventTypes.map((t) => (
          <option key={t} value={t}>
            {humanize(t)}
          </option>
        ))}
      </SelectField>
      <SelectField name="outcome" label="Outcome" value={read(values, 'outcome')} onChange={(e) => onChange({ outcome: e.target.value })} className="w-36">
        <option value="">Any outcome</option>
        {outcomes.map((o) => (
          <option key={o} value={o}>
            {humanize(o)}
          </option>
        ))}
      </SelectField>
      <SearchInput label="Session token" value={read(values, 'session_token')} onSearch={(session_token) => onChange({ session_token })} className="w-full sm:w-56" />
      <DateRange values={values} onChange={onChange} />
      {/* Anyone can send a wrong secret: those rows stay out of the way unless asked for. */}
      <div className="flex h-9 items-center self-end">
        <Switch
          label="Show refused requests"
          showLabel
          checked={read(values, 'include_rejected') === 'true'}
          onChange={(on) => onChange({ include_rejected: on ? 'true' : '' })}
        />
      </div>
    </>
  );
}

/** Filters of the configuration audit log. */
export function AuditLogFilters({ values, onChange }: { values: Values; onChange: OnChange }) {
  return (
    <>
      <SelectField name="entity_type" label="Item" value={read(values, 'entity_type')} onChange={(e) => onChange({ entity_type: e.target.value })} className="w-48">
        <option value="">Everything</option>
        {entityTypes.map((t) => (
          <option key={t} value={t}>
            {capitalize(entityWord(t))}
          </option>
        ))}
      </SelectField>
      <DateRange values={values} onChange={onChange} />
    </>
  );
}
