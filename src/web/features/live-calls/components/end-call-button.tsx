import { PhoneOff } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.js';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.js';
import { useEndCall } from '../api/end-call.js';

interface EndCallButtonProps {
  id: number;
  /** The call as people know it, e.g. "+14155550123 → +12125550187". */
  label: string;
  onEnded?: () => void;
}

/** Ends a stale live call after asking: the record is closed and the agent's slot freed (and the call hung up at Cloudonix when connected). */
export function EndCallButton({ id, label, onEnded }: EndCallButtonProps) {
  const [asking, setAsking] = useState(false);
  const end = useEndCall();
  const close = () => {
    setAsking(false);
    end.reset();
  };
  return (
    <>
      <Button variant="danger" onClick={() => setAsking(true)} icon={<PhoneOff className="size-4" aria-hidden="true" />}>
        End this call
      </Button>
      {asking && (
        <ConfirmDialog
          open
          title={`End the call ${label}?`}
          confirmLabel="End call"
          onConfirm={() =>
            end.mutate(id, {
              onSuccess: () => {
                close();
                onEnded?.();
              },
            })
          }
          onClose={close}
          pending={end.isPending}
          error={end.error}
        >
          <p>
            Use this for a call whose end never came. Its record is closed as “Ended by admin” and the agent’s slot is freed for the next call. Without a Cloudonix connection (Settings)
            the call itself is not hung up at Cloudonix; with one, it is hung up there too.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
