import { useRef } from 'react';
import { changePasswordBody } from '../../../../core/schemas/account.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useChangePassword } from '../api/change-password.js';
import { NewPasswordFields } from './new-password-fields.js';

/** The signed-in user's own password; other browsers and devices are signed out, this one stays. */
export function ChangePasswordForm() {
  const ref = useRef<HTMLFormElement>(null);
  const change = useChangePassword({ onSuccess: () => ref.current?.reset() });
  const form = useSchemaForm({
    schema: changePasswordBody,
    fields: ['current_password', 'password', 'password_confirmation'],
    serverError: change.error,
    resetServerError: change.reset,
    onValid: (data) => change.mutate(data),
  });
  return (
    <form ref={ref} noValidate onSubmit={form.onSubmit} onInput={form.onInput} className="max-w-md space-y-5">
      {form.alert && <Alert title="Could not change the password">{form.alert}</Alert>}
      {change.isSuccess && (
        <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
          Password changed. Your other sessions have been signed out.
        </p>
      )}
      <TextField name="current_password" label="Current password" type="password" autoComplete="current-password" errors={form.errorsFor('current_password')} />
      <NewPasswordFields errorsFor={form.errorsFor} />
      <Button type="submit" loading={change.isPending}>
        Change password
      </Button>
    </form>
  );
}
