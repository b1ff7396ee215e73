import { acceptInvitationBody, type InvitationPreview } from '../../../../core/schemas/account.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useAcceptInvitation } from '../api/accept-invitation.js';
import { NewPasswordFields } from './new-password-fields.js';

/** The invited person picks their name and password; the account is created and signed in. */
export function AcceptInvitationForm({ token, invitation, onSuccess }: { token: string; invitation: InvitationPreview; onSuccess: () => void }) {
  const accept = useAcceptInvitation({ onSuccess });
  const form = useSchemaForm({
    schema: acceptInvitationBody,
    fields: ['name', 'password', 'password_confirmation'],
    serverError: accept.error,
    resetServerError: accept.reset,
    read: (f) => ({ ...Object.fromEntries(new FormData(f)), token }),
    onValid: (data) => accept.mutate(data),
  });
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} className="space-y-5">
      {form.alert && <Alert title="Could not accept the invitation">{form.alert}</Alert>}
      <p className="text-sm text-slate-700">
        You will sign in as <strong>{invitation.email}</strong>, {invitation.role === 'admin' ? 'an admin' : 'an analyst'} of <strong>{invitation.tenant_name}</strong>.
      </p>
      <TextField name="name" label="Your name" autoComplete="name" autoFocus defaultValue={invitation.name ?? ''} errors={form.errorsFor('name')} />
      <NewPasswordFields errorsFor={form.errorsFor} label="Password" />
      <Button type="submit" className="w-full" loading={accept.isPending}>
        Join {invitation.tenant_name}
      </Button>
    </form>
  );
}
