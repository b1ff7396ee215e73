import { PhoneOff } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.js';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.js';
import { useHangUpCall } from '../api/call-control.js';

interface HangUpButtonProps {
  id: number;
  /** The call as people know it, e.g. "+14155550123 → +12125550187". */
  label: string;
  onDone?: () => void;
}

/** Hangs a live call up at Cloudonix after asking; errors (not connected, Cloudonix refused) are shown in words. */
export function HangUpButton({ id, label, onDone }: HangUpButtonProps) {
  const [asking, setAsking] = useState(false);
  const hangUp = useHangUpCall();
  const close = () => {
    setAsking(false);
    hangUp.reset();
  };
  return (
    <>
      <Button variant="danger" onClick={() => setAsking(true)} icon={<PhoneOff className="size-4" aria-hidden="true" />}>
        Hang up
      </Button>
      {asking && (
        <ConfirmDialog
          open
          title={`Hang up the call ${label}?`}
          confirmLabel="Hang up"
          onConfirm={() =>
            hangUp.mutate(id, {
              onSuccess: () => {
                close();
                onDone?.();
              },
            })
          }
          onClose={close}
          pending={hangUp.isPending}
          error={hangUp.error}
        >
          <p>Cloudonix ends the call for everyone on it now. Its record is closed as “Ended by admin” until Cloudonix reports the end, and the agent’s slot is freed.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
