import { resetPasswordBody } from '../../../../core/schemas/account.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useResetPassword } from '../api/reset-password.js';
import { NewPasswordFields } from './new-password-fields.js';

/** Sets a new password with the link's token; every other session of the user is signed out. */
export function ResetPasswordForm({ token, onSuccess }: { token: string; onSuccess: () => void }) {
  const reset = useResetPassword({ onSuccess });
  const form = useSchemaForm({
    schema: resetPasswordBody,
    fields: ['password', 'password_confirmation'],
    serverError: reset.error,
    resetServerError: reset.reset,
    read: (f) => ({ ...Object.fromEntries(new FormData(f)), token }),
    onValid: (data) => reset.mutate(data),
  });
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} className="space-y-5">
      {form.alert && <Alert title="Could not set the password">{form.alert}</Alert>}
      <NewPasswordFields errorsFor={form.errorsFor} />
      <Button type="submit" className="w-full" loading={reset.isPending}>
        Set password and sign in
      </Button>
    </form>
  );
}
