/**
 * Cloudonix reports outcomes in several vocabularies (see shared/cloudonix.md §2.2,
 * §4.3, §5.2). These functions map each to ours, case- and punctuation-insensitively,
 * and never throw: an unknown word becomes 'unknown'.
 */
const letters = (raw: unknown): string => (typeof raw === 'string' ? raw.toLowerCase().replace(/[^a-z]/g, '') : '');

/**
 * The outcome of one `<Dial>` attempt, from DialCallStatus or CallStatus. `in_progress`
 * (queued, ringing, in-progress) is an interim word: in a Dial callback it is no answer.
 */
export type DialOutcome = 'answered' | 'busy' | 'no_answer' | 'failed' | 'canceled' | 'in_progress' | 'unknown';

export function normalizeDialStatus(raw: unknown): DialOutcome {
  switch (letters(raw)) {
    case 'completed':
    case 'answered':
    case 'answer':
      return 'answered';
    case 'busy':
      return 'busy';
    case 'noanswer':
      return 'no_answer';
    case 'failed':
    case 'congestion':
    case 'error':
      return 'failed';
    case 'canceled':
    case 'cancelled':
    case 'cancel':
      return 'canceled';
    case 'ringing':
    case 'inprogress':
    case 'queued':
      return 'in_progress';
    default:
      return 'unknown';
  }
}

/** Final CDR disposition: both ANSWER/NOANSWER/CANCEL and ANSWERED/NO ANSWER/CANCELLED families. */
export type Disposition = 'answered' | 'no_answer' | 'busy' | 'failed' | 'congestion' | 'canceled' | 'declined' | 'unknown';

export function normalizeDisposition(raw: unknown): Disposition {
  switch (letters(raw)) {
    case 'answer':
    case 'answered':
      return 'answered';
    case 'noanswer':
      return 'no_answer';
    case 'busy':
      return 'busy';
    case 'failed':
      return 'failed';
    case 'congestion':
      return 'congestion';
    case 'cancel':
    case 'cancelled':
    case 'canceled':
      return 'canceled';
    case 'rejected':
    case 'declined':
      return 'declined';
    default:
      // CHANUNAVAIL and other words we do not list: the story resolves them from billsec and times.
      return 'unknown';
  }
}
