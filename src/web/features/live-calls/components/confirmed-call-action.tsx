import type { UseMutationResult } from '@tanstack/react-query';
import { PhoneOff } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import type { EndCallResult } from '../../../../core/schemas/call-records.js';
import { Button } from '../../../components/ui/button.js';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.js';

interface ConfirmedCallActionProps {
  id: number;
  /** What the button and the dialog's confirm say, e.g. "Hang up". */
  buttonLabel: string;
  confirmLabel: string;
  title: string;
  action: UseMutationResult<EndCallResult, Error, number>;
  onDone?: (() => void) | undefined;
  /** What the action does, in the dialog. */
  children: ReactNode;
}

/** A danger button that ends a live call only after the admin confirms; a refusal is shown in words in the dialog. */
export function ConfirmedCallAction({ id, buttonLabel, confirmLabel, title, action, onDone, children }: ConfirmedCallActionProps) {
  const [asking, setAsking] = useState(false);
  const close = () => {
    setAsking(false);
    action.reset();
  };
  return (
    <>
      <Button variant="danger" onClick={() => setAsking(true)} icon={<PhoneOff className="size-4" aria-hidden="true" />}>
        {buttonLabel}
      </Button>
      {asking && (
        <ConfirmDialog
          open
          title={title}
          confirmLabel={confirmLabel}
          onConfirm={() =>
            action.mutate(id, {
              onSuccess: () => {
                close();
                onDone?.();
              },
            })
          }
          onClose={close}
          pending={action.isPending}
          error={action.error}
        >
          {children}
        </ConfirmDialog>
      )}
    </>
  );
}
