import { createInvitationBody } from '../../../../core/schemas/account.js';
import { Button } from '../../../components/ui/button.js';
import { Dialog } from '../../../components/ui/dialog.js';
import { FormDialog } from '../../../components/ui/form-dialog.js';
import { SelectField } from '../../../components/ui/select-field.js';
import { TextField } from '../../../components/ui/text-field.js';
import { useSchemaForm } from '../../../lib/use-schema-form.js';
import { useCreateInvitation } from '../api/create-invitation.js';
import { LinkToPassOn } from './link-to-pass-on.js';

const fields = ['email', 'name', 'role'] as const;

/** Invites someone by email; they pick their own password. Shows the link when it could not be emailed. */
export function InviteUserDialog({ onClose }: { onClose: () => void }) {
  const invite = useCreateInvitation({ onSuccess: (created) => (created.emailed ? onClose() : undefined) });
  const form = useSchemaForm({
    schema: createInvitationBody,
    fields,
    serverError: invite.error,
    resetServerError: invite.reset,
    read: (f) => {
      const values = Object.fromEntries(new FormData(f));
      return values.name === '' ? { ...values, name: undefined } : values;
    },
    onValid: (input) => invite.mutate(input),
  });
  const link = invite.data?.accept_url;
  if (link) {
    return (
      <Dialog open onClose={onClose} title={`Invitation for ${invite.data?.email ?? ''}`} footer={<Button onClick={onClose}>Done</Button>}>
        <LinkToPassOn url={link} what="invitation" />
      </Dialog>
    );
  }
  return (
    <FormDialog
      title="Invite a user"
      description="They get an email with a link to set their own password (valid 72 hours, once)."
      onClose={onClose}
      form={form}
      alertTitle="Could not invite"
      submitLabel="Send invitation"
      pending={invite.isPending}
    >
      <TextField name="email" label="Email" type="email" autoComplete="off" data-autofocus errors={form.errorsFor('email')} />
      <TextField name="name" label="Name (optional)" autoComplete="off" errors={form.errorsFor('name')} />
      <SelectField name="role" label="Role" defaultValue="analyst" errors={form.errorsFor('role')} help="Analysts see everything and run exports; admins can also change configuration, users and settings.">
        <option value="analyst">Analyst (read only)</option>
        <option value="admin">Admin</option>
      </SelectField>
    </FormDialog>
  );
}
