/**
 * Why a call ended the way it did, in words a person can read. One vocabulary for
 * the API, the UI and exports.
 */
export const outcomeReasons = [
  'answered',
  'no_answer',
  'busy',
  'declined',
  'caller_hung_up',
  'agent_failed',
  'overflow_fallback',
  'no_rule',
  'unknown_end',
  'ended_by_admin',
] as const;
export type OutcomeReason = (typeof outcomeReasons)[number];

export const outcomeReasonLabels: Readonly<Record<OutcomeReason, string>> = {
  answered: 'Answered',
  no_answer: 'No answer',
  busy: 'Busy',
  declined: 'Declined',
  caller_hung_up: 'Caller hung up',
  agent_failed: 'Agent failed',
  overflow_fallback: 'Overflow → fallback',
  no_rule: 'No rule matched',
  unknown_end: 'Unknown end',
  ended_by_admin: 'Ended by admin',
};

/** The reasons that say the tenant's fallback route took the call (the records' fallback/overflow filter). */
export const fallbackOutcomeReasons: readonly OutcomeReason[] = ['overflow_fallback', 'no_rule'];

export const outcomeReasonHelp: Readonly<Record<OutcomeReason, string>> = {
  answered: 'An agent answered the call.',
  no_answer: 'The agent did not answer in time.',
  busy: 'The agent answered busy.',
  declined: 'The far end refused the call.',
  caller_hung_up: 'The caller hung up before anyone answered.',
  agent_failed: 'The agent could not be reached (a technical failure).',
  overflow_fallback: 'No agent could take the call (all busy, full, out of rotation or failed), so the fallback route took it.',
  no_rule: 'No routing rule matched the number, so the fallback route took it.',
  unknown_end: 'The end of the call was never reported; it was closed after the maximum call length.',
  ended_by_admin: 'An admin ended the call from the console: hung up at Cloudonix, or closed because its end was never reported.',
};
