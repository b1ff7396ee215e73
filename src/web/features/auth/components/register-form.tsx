import { Building, UserRound } from 'lucide-react';
import { useState, type FocusEvent, type ReactNode } from 'react';
import { registerBody } from '../../../../core/schemas/auth.js';
import { domainFromInput, isValidTimeZone } from '../../../../core/schemas/fields.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useRegister } from '../api/register.js';

// In the order they appear, so the first invalid one gets focus.
const fields = ['tenant_name', 'domain', 'timezone', 'name', 'email', 'password', 'password_confirmation'] as const;

/** The browser's time zone, when it names one the server knows; else the tenant starts in UTC. */
function browserTimeZone(): string | null {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return zone && isValidTimeZone(zone) ? zone : null;
  } catch {
    return null;
  }
}

/** A URL pasted as the domain shows as the host the server will keep. */
function trimPastedDomain(event: FocusEvent<HTMLInputElement>): void {
  const input = event.currentTarget;
  const host = domainFromInput(input.value).toLowerCase();
  if (host !== '' && host !== input.value) input.value = host;
}

function Section({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-4">
      <legend className="mb-3 flex items-center gap-2 text-sm font-semibold text-slate-900">
        {icon}
        {title}
      </legend>
      {children}
    </fieldset>
  );
}

/** Creates a tenant (one Cloudonix domain) and its first admin, then signs that admin in. */
export function RegisterForm({ onSuccess }: { onSuccess: () => void }) {
  const register = useRegister({ onSuccess });
  const [timeZone] = useState(browserTimeZone);
  const form = useSchemaForm({
    schema: registerBody,
    fields,
    serverError: register.error,
    resetServerError: register.reset,
    onValid: (data) => register.mutate(data),
  });
  const iconClass = 'size-4 text-indigo-600';

  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} className="space-y-6">
      {form.alert && <Alert title="Could not create the tenant">{form.alert}</Alert>}
      <Section icon={<Building className={iconClass} aria-hidden="true" />} title="Your organisation">
        <TextField name="tenant_name" label="Organisation name" autoComplete="organization" autoFocus errors={form.errorsFor('tenant_name')} />
        <TextField
          name="domain"
          label="Cloudonix domain"
          placeholder="acme.cloudonix.net"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          help="The Cloudonix domain whose calls this service will route."
          onBlur={trimPastedDomain}
          errors={form.errorsFor('domain')}
        />
        {timeZone && (
          <p className="text-xs text-slate-600" data-testid="detected-time-zone">
            <input type="hidden" name="timezone" value={timeZone} />
            Time zone: <span className="font-medium text-slate-800">{timeZone.replaceAll('_', ' ')}</span>, from your browser. Days on the dashboard start at midnight here; you can
            change it in Settings.
          </p>
        )}
        {form.errorsFor('timezone')?.map((m) => (
          <p key={m} className="text-xs text-red-700">
            Time zone {m}
          </p>
        ))}
      </Section>
      <Section icon={<UserRound className={iconClass} aria-hidden="true" />} title="Your admin account">
        <TextField name="name" label="Your name" autoComplete="name" errors={form.errorsFor('name')} />
        <TextField name="email" label="Email" type="email" autoComplete="email" errors={form.errorsFor('email')} />
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            name="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            help="At least 10 characters, and not a common password."
            errors={form.errorsFor('password')}
          />
          <TextField
            name="password_confirmation"
            label="Password confirmation"
            type="password"
            autoComplete="new-password"
            errors={form.errorsFor('password_confirmation')}
          />
        </div>
      </Section>
      <Button type="submit" className="w-full" loading={register.isPending}>
        {register.isPending ? 'Creating tenant…' : 'Create tenant'}
      </Button>
    </form>
  );
}
