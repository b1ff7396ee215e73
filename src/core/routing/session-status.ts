import type { CallState } from './call-state.js';
import type { Disposition } from './call-status.js';

/**
 * Where a Cloudonix session-update status puts the call (shared/cloudonix.md §4.3).
 * There is no documented "completed" status: the end is known from callEndTime /
 * endTime, and is then completed if the call was ever answered. Unknown statuses
 * (e.g. `external`) leave the state as it is (null).
 */
export function stateFromSession(status: string | null, answeredAt: number | null, endedAt: number | null, wasConnected: boolean): CallState | null {
  const s = (status ?? '').replace(/[^a-z]/g, '');
  const failedStates: Record<string, CallState> = { noanswer: 'no_answer', busy: 'busy', cancel: 'no_answer', canceled: 'no_answer', nocredit: 'failed', congestion: 'failed', failed: 'failed', error: 'failed' };
  if (endedAt !== null) {
    if (answeredAt !== null || wasConnected || s === 'connected' || s === 'answer') return 'completed';
    return failedStates[s] ?? 'no_answer';
  }
  switch (s) {
    case 'new':
      return 'received';
    case 'processing':
      return 'routing';
    case 'ringing':
      return 'connecting';
    case 'connected':
    case 'answer':
      return 'connected';
    default:
      return failedStates[s] ?? null;
  }
}

/** The final state a CDR's disposition gives a call. */
export function stateFromDisposition(d: Disposition): CallState | null {
  switch (d) {
    case 'answered':
      return 'completed';
    case 'busy':
      return 'busy';
    case 'no_answer':
    case 'canceled':
      return 'no_answer';
    case 'failed':
    case 'congestion':
      return 'failed';
    case 'unknown':
      return null;
  }
}
