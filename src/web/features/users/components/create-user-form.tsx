import { createUserBody } from '../../../../core/schemas/user.js';
import { FormDialog } from '../../../components/ui/form-dialog.js';
import { SelectField } from '../../../components/ui/select-field.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useCreateUser } from '../api/create-user.js';

const fields = ['name', 'email', 'password', 'role'] as const;

/** Adds a person to the tenant with a first password they can use at once. */
export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateUser({ onSuccess: onClose });
  const form = useSchemaForm({ schema: createUserBody, fields, serverError: create.error, resetServerError: create.reset, onValid: (input) => create.mutate(input) });
  return (
    <FormDialog
      title="Add a user"
      description="Give them the email and password; they sign in on the usual page."
      onClose={onClose}
      form={form}
      alertTitle="Could not add the user"
      submitLabel="Add user"
      pending={create.isPending}
    >
      <TextField name="name" label="Name" autoComplete="off" data-autofocus errors={form.errorsFor('name')} />
      <TextField name="email" label="Email" type="email" autoComplete="off" errors={form.errorsFor('email')} />
      <TextField name="password" label="First password" type="password" autoComplete="new-password" help="At least 10 characters, and not a common password." errors={form.errorsFor('password')} />
      <SelectField name="role" label="Role" defaultValue="analyst" errors={form.errorsFor('role')} help="Analysts see everything and run exports; admins can also change configuration, users and settings.">
        <option value="analyst">Analyst (read only)</option>
        <option value="admin">Admin</option>
      </SelectField>
    </FormDialog>
  );
}
