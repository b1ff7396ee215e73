import { KeyRound } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.js';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.js';
import { Dialog } from '../../../components/ui/dialog.js';
import type { User } from '../api/get-users.js';
import { useForcePasswordReset } from '../api/force-password-reset.js';
import { LinkToPassOn } from './link-to-pass-on.js';

/** Makes a user set a new password: asks first, then says whether the link was emailed or shows it. */
export function ForceResetButton({ user }: { user: User }) {
  const [asking, setAsking] = useState(false);
  const reset = useForcePasswordReset();
  const close = () => {
    setAsking(false);
    reset.reset();
  };
  return (
    <>
      <Button variant="secondary" onClick={() => setAsking(true)} icon={<KeyRound className="size-4" aria-hidden="true" />} aria-label={`Reset the password of ${user.name}`}>
        <span className="hidden lg:inline">Reset password</span>
      </Button>
      {asking && !reset.data && (
        <ConfirmDialog open title={`Reset the password of ${user.name}?`} confirmLabel="Reset password" onConfirm={() => reset.mutate(user.id)} onClose={close} pending={reset.isPending} error={reset.error}>
          <p>They are signed out everywhere at once, their current password stops working, and they get a link to set a new one.</p>
        </ConfirmDialog>
      )}
      {reset.data && (
        <Dialog open onClose={close} title={`Password reset for ${user.name}`} footer={<Button onClick={close}>Done</Button>}>
          {reset.data.reset_url ? <LinkToPassOn url={reset.data.reset_url} what="password reset" /> : <p className="text-sm text-slate-700">A link to set a new password was emailed to {user.email}.</p>}
        </Dialog>
      )}
    </>
  );
}
