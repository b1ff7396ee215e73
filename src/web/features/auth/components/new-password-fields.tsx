import { TextField } from '../../../components/ui/text-field.js';

/** The two inputs of a new password, with what the server will refuse said up front. */
export function NewPasswordFields({ errorsFor, label = 'New password' }: { errorsFor: (name: string) => string[] | undefined; label?: string }) {
  return (
    <>
      <TextField
        name="password"
        label={label}
        type="password"
        autoComplete="new-password"
        help="At least 10 characters, and not a common password: a few unrelated words work well."
        errors={errorsFor('password')}
      />
      <TextField name="password_confirmation" label="Confirm the password" type="password" autoComplete="new-password" errors={errorsFor('password_confirmation')} />
    </>
  );
}
