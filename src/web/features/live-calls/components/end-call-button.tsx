import { useEndCall } from '../api/call-control.js';
import { ConfirmedCallAction } from './confirmed-call-action.js';

interface EndCallButtonProps {
  id: number;
  /** The call as people know it, e.g. "+14155550123 → +12125550187". */
  label: string;
  onEnded?: () => void;
}

/** Ends a stale live call after asking: the record is closed and the agent's slot freed (and the call hung up at Cloudonix when connected). */
export function EndCallButton({ id, label, onEnded }: EndCallButtonProps) {
  return (
    <ConfirmedCallAction id={id} buttonLabel="End this call" confirmLabel="End call" title={`End the call ${label}?`} action={useEndCall()} onDone={onEnded}>
      <p>
        Use this for a call whose end never came. Its record is closed as “Ended by admin” and the agent’s slot is freed for the next call. Without a Cloudonix connection (Settings)
        the call itself is not hung up at Cloudonix; with one, it is hung up there too.
      </p>
    </ConfirmedCallAction>
  );
}
