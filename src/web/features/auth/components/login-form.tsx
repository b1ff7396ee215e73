import { LogIn } from 'lucide-react';
import { loginBody } from '../../../../core/schemas/auth.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useLogin } from '../api/login.js';

const fields = ['email', 'password'] as const;

/** Email and password sign-in; wrong credentials and throttling show in an alert above the form. */
export function LoginForm({ onSuccess }: { onSuccess: () => void }) {
  const login = useLogin({ onSuccess });
  const form = useSchemaForm({
    schema: loginBody,
    fields,
    serverError: login.error,
    resetServerError: login.reset,
    onValid: (data) => login.mutate(data),
  });

  return (
    <form noValidate onSubmit={form.onSubmit} onInput={form.onInput} className="space-y-5">
      {form.alert && <Alert title="Could not sign in">{form.alert}</Alert>}
      <TextField name="email" label="Email" type="email" autoComplete="email" autoFocus errors={form.errorsFor('email')} />
      <TextField name="password" label="Password" type="password" autoComplete="current-password" errors={form.errorsFor('password')} />
      <Button type="submit" className="w-full" loading={login.isPending} icon={<LogIn className="size-4" aria-hidden="true" />}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
