import { useHangUpCall } from '../api/call-control.js';
import { ConfirmedCallAction } from './confirmed-call-action.js';

interface HangUpButtonProps {
  id: number;
  /** The call as people know it, e.g. "+14155550123 → +12125550187". */
  label: string;
  onDone?: () => void;
}

/** Hangs a live call up at Cloudonix after asking; errors (not connected, Cloudonix refused) are shown in words. */
export function HangUpButton({ id, label, onDone }: HangUpButtonProps) {
  return (
    <ConfirmedCallAction id={id} buttonLabel="Hang up" confirmLabel="Hang up" title={`Hang up the call ${label}?`} action={useHangUpCall()} onDone={onDone}>
      <p>Cloudonix ends the call for everyone on it now. Its record is closed as “Ended by admin” until Cloudonix reports the end, and the agent’s slot is freed.</p>
    </ConfirmedCallAction>
  );
}
