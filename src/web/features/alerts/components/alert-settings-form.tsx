import { useState } from 'react';
import { updateAlertSettingsBody, type AlertSettingsView } from '../../../../core/schemas/alert.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { QueryStatus } from '../../../components/ui/query-status.js';
import { Switch } from '../../../components/ui/switch.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useAlertSettings, useSendTestAlert, useUpdateAlertSettings } from '../api/alert-settings.js';

const numberFields = [
  ['at_cap_minutes', 'Agent at its limit for (minutes)', 'Alert when an agent’s live calls stay at its limit this long (1–1440).'],
  ['fallback_percent', 'Fallback share above (%)', 'Alert when the fallback route takes more than this share of calls (1–100).'],
  ['fallback_window_minutes', 'Fallback share over (minutes)', 'The window the share is counted over (5–1440).'],
  ['fallback_min_calls', 'Fallback share from (calls)', 'Fewer calls than this in the window never alert.'],
  ['wiring_min_calls', 'Routed calls with no session updates or CDRs', 'Alert when this many calls were routed in the window and none of them sent a session update (or a CDR).'],
  ['wiring_window_minutes', 'Over (minutes)', 'The window for missing session updates and CDRs (5–1440).'],
  ['webhook_errors_threshold', 'Refused or failed webhooks', 'Alert when at least this many Cloudonix webhooks were refused or failed in the window.'],
  ['webhook_errors_window_minutes', 'Over (minutes)', 'The window for refused webhooks (1–1440).'],
  ['max_notifications_per_10_minutes', 'Notifications per 10 minutes', 'Past this, notifications are dropped and the next one says how many were.'],
] as const;

const fields = ['enabled', 'webhook_url', 'signing_secret', 'email_recipients', ...numberFields.map(([name]) => name)] as const;

function Form({ view, canWrite }: { view: AlertSettingsView; canWrite: boolean }) {
  const update = useUpdateAlertSettings();
  const test = useSendTestAlert();
  const [enabled, setEnabled] = useState(view.enabled);
  const form = useSchemaForm({
    schema: updateAlertSettingsBody,
    fields,
    serverError: update.error,
    resetServerError: update.reset,
    read: (element) => {
      const data = new FormData(element);
      const text = (name: string) => String(data.get(name) ?? '').trim();
      const secret = text('signing_secret');
      return {
        enabled,
        webhook_url: text('webhook_url') || null,
        ...(secret ? { signing_secret: secret } : {}),
        email_recipients: text('email_recipients')
          .split(/[\s,;]+/)
          .filter(Boolean),
        ...Object.fromEntries(numberFields.map(([name]) => [name, Number(data.get(name))])),
      };
    },
    onValid: (input) => update.mutate(input),
  });
  const word = { sent: 'sent', failed: 'failed', not_configured: 'not set up' } as const;
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} aria-label="Alerts">
      <fieldset disabled={!canWrite} className="space-y-4">
        {form.alert && <Alert title="Could not save">{form.alert}</Alert>}
        <Switch checked={enabled} onChange={setEnabled} disabled={!canWrite} label="Watch for alerts" showLabel />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="webhook_url"
            label="Send alerts to this URL"
            type="url"
            defaultValue={view.webhook_url ?? ''}
            placeholder="https://example.com/hooks/voice-lb"
            help="A JSON POST for each alert that fires or resolves, signed with the secret below (X-VLB-Signature)."
            errors={form.errorsFor('webhook_url')}
          />
          <TextField
            name="signing_secret"
            label="Signing secret"
            type="password"
            autoComplete="new-password"
            placeholder={view.signing_secret_set ? 'Set — leave empty to keep it' : 'At least 16 characters'}
            help="Never shown again once saved. Your receiver checks each request's HMAC-SHA256 with it."
            errors={form.errorsFor('signing_secret')}
          />
          <TextField
            name="email_recipients"
            label="Email alerts to"
            defaultValue={view.email_recipients.join(', ')}
            placeholder="ops@example.com, oncall@example.com"
            help="Up to 10 addresses, separated by commas. Needs SMTP_URL on the server."
            errors={form.errorsFor('email_recipients')}
            className="sm:col-span-2"
          />
          {numberFields.map(([name, label, help]) => (
            <TextField key={name} name={name} label={label} type="number" min={1} defaultValue={view[name]} help={help} errors={form.errorsFor(name)} />
          ))}
        </div>
      </fieldset>
      {canWrite && (
        <div className="mt-5 flex flex-wrap items-center justify-end gap-3">
          {update.isSuccess && (
            <p role="status" className="text-sm text-emerald-700">
              Saved
            </p>
          )}
          {test.data && (
            <p role="status" className="text-sm text-slate-700">
              Test alert: webhook {word[test.data.webhook]}, email {word[test.data.email]}.
            </p>
          )}
          {test.error && <p role="alert" className="text-sm text-red-700">{test.error.message}</p>}
          <Button variant="secondary" loading={test.isPending} onClick={() => test.mutate()}>
            Send test alert
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </div>
      )}
    </form>
  );
}

/** Alert thresholds, the outgoing webhook and its secret, email recipients, and a test button. */
export function AlertSettingsForm({ canWrite }: { canWrite: boolean }) {
  const settings = useAlertSettings();
  return settings.data ? <Form view={settings.data} canWrite={canWrite} /> : <QueryStatus query={settings} label="the alert settings" />;
}
