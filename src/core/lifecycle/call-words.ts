import type { CallState } from '../routing/call-state.js';
import { outcomeReasonLabels, type OutcomeReason } from './outcome-reason.js';

/**
 * The one vocabulary of a call's status and outcome: the API and the exports carry
 * the words (`status`, `outcome_reason`), the UI and the CSV's label columns show
 * these labels. Nothing else names them.
 */
export const callStateLabels: Readonly<Record<CallState, string>> = {
  received: 'Received',
  queued: 'Queued',
  routing: 'Routing',
  connecting: 'Ringing',
  connected: 'Connected',
  completed: 'Completed',
  failed: 'Failed',
  busy: 'Busy',
  no_answer: 'No answer',
  fallback: 'Fallback',
};

const stateLabels: Readonly<Record<string, string>> = callStateLabels;
const reasonLabels: Readonly<Record<string, string>> = outcomeReasonLabels;

/** The label of a stored status word (an unknown word is shown as itself). */
export const callStateLabel = (status: string): string => stateLabels[status] ?? status;

/** The label of an outcome reason; empty while the call is live. */
export const outcomeLabel = (reason: OutcomeReason | string | null): string => (reason === null ? '' : (reasonLabels[reason] ?? reason));
