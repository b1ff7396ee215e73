import { useId } from 'react';
import { createUserBody } from '../../../../core/schemas/user.js';
import { Alert } from '../../../components/ui/alert.js';
import { Button } from '../../../components/ui/button.js';
import { Dialog } from '../../../components/ui/dialog.js';
import { SelectField } from '../../../components/ui/select-field.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useCreateUser } from '../api/create-user.js';

const fields = ['name', 'email', 'password', 'role'] as const;

/** Adds a person to the tenant with a first password they can use at once. */
export function CreateUserDialog({ onClose }: { onClose: () => void }) {
  const formId = useId();
  const create = useCreateUser({ onSuccess: onClose });
  const form = useSchemaForm({ schema: createUserBody, fields, serverError: create.error, resetServerError: create.reset, onValid: (input) => create.mutate(input) });
  return (
    <Dialog
      open
      onClose={onClose}
      title="Add a user"
      description="Give them the email and password; they sign in on the usual page."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={create.isPending}>
            Add user
          </Button>
        </>
      }
    >
      <form id={formId} noValidate onSubmit={form.onSubmit} onInput={form.onInput} className="space-y-5">
        {form.alert && <Alert title="Could not add the user">{form.alert}</Alert>}
        <TextField name="name" label="Name" autoComplete="off" data-autofocus errors={form.errorsFor('name')} />
        <TextField name="email" label="Email" type="email" autoComplete="off" errors={form.errorsFor('email')} />
        <TextField name="password" label="First password" type="password" autoComplete="new-password" help="At least 8 characters." errors={form.errorsFor('password')} />
        <SelectField name="role" label="Role" defaultValue="analyst" errors={form.errorsFor('role')} help="Analysts see everything and run exports; admins can also change configuration, users and settings.">
          <option value="analyst">Analyst (read only)</option>
          <option value="admin">Admin</option>
        </SelectField>
      </form>
    </Dialog>
  );
}
