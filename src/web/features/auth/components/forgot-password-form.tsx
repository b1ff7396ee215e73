import { MailCheck } from 'lucide-react';
import { forgotPasswordBody } from '../../../../core/schemas/account.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useForgotPassword } from '../api/forgot-password.js';

/** Asks for a reset link; once sent, says so in words that do not tell whether the email has an account. */
export function ForgotPasswordForm() {
  const forgot = useForgotPassword();
  const form = useSchemaForm({ schema: forgotPasswordBody, fields: ['email'], serverError: forgot.error, resetServerError: forgot.reset, onValid: (data) => forgot.mutate(data) });
  if (forgot.isSuccess) {
    return (
      <p role="status" className="flex gap-3 rounded-md border border-emerald-200 bg-emerald-50 p-3 text-sm text-emerald-900">
        <MailCheck className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
        {forgot.data.message} It works once, for an hour.
      </p>
    );
  }
  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} className="space-y-5">
      {form.alert && <Alert title="Could not send the link">{form.alert}</Alert>}
      <TextField name="email" label="Email" type="email" autoComplete="email" autoFocus errors={form.errorsFor('email')} />
      <Button type="submit" className="w-full" loading={forgot.isPending}>
        Email me a link
      </Button>
    </form>
  );
}
