/**
 * Is Cloudonix sending this tenant everything? The likeliest first-deployment
 * mistake is pasting only the voice application URL: calls are routed, but no
 * session update or CDR ever says how they went, so every call stays live until
 * the maximum call length closes it. This tells, from when each webhook was last
 * accepted, which endpoint is missing. Pure.
 */
export type WiredWebhook = 'session_update' | 'cdr';

export interface WiringProblem {
  readonly webhook: WiredWebhook;
  /** The Cloudonix domain profile setting to fill in. */
  readonly setting: 'session-update-endpoint' | 'cdr-endpoint';
  readonly message: string;
}

export interface WiringFacts {
  /** Latest voice request accepted at least SESSION_GRACE_MS ago (within the look-back), or null. */
  readonly voiceSettled: number | null;
  /** Latest voice request accepted longer ago than the maximum call length (within the look-back), or null. */
  readonly voiceOverMaxLength: number | null;
  /** Latest Dial callback accepted at least CDR_GRACE_MS ago: its call has ended by now. */
  readonly dialEndedBefore: number | null;
  readonly lastSessionUpdate: number | null;
  readonly lastCdr: number | null;
}

/** A session update follows a routed call within seconds; a CDR follows its end. */
export const SESSION_GRACE_MS = 2 * 60_000;
export const CDR_GRACE_MS = 5 * 60_000;
/** How far back the check looks: a mistake fixed a day ago is no longer shown. */
export const WIRING_LOOK_BACK_MS = 24 * 3_600_000;

export function wiringProblems(f: WiringFacts): WiringProblem[] {
  const out: WiringProblem[] = [];
  if (f.voiceSettled !== null && (f.lastSessionUpdate === null || f.lastSessionUpdate < f.voiceSettled)) {
    out.push({
      webhook: 'session_update',
      setting: 'session-update-endpoint',
      message:
        f.lastSessionUpdate === null
          ? 'Calls are being routed, but no session update has come: live calls cannot be followed. Paste the session update URL into the Cloudonix domain.'
          : // They came before, so the URL was set once: it was removed or replaced since (a profile edit, a new domain).
            'Session updates stopped: none has come for the calls routed lately, though earlier ones did. Check that the Cloudonix domain still has the session update URL below.',
    });
  }
  const ended = Math.max(f.voiceOverMaxLength ?? -1, f.dialEndedBefore ?? -1);
  if (ended >= 0 && (f.lastCdr === null || f.lastCdr < ended)) {
    out.push({
      webhook: 'cdr',
      setting: 'cdr-endpoint',
      message:
        f.lastCdr === null
          ? 'Calls have ended, but no CDR has come: billed seconds are unknown and calls close only after the maximum call length. Paste the CDR URL into the Cloudonix domain.'
          : 'CDRs stopped: none has come for the calls that ended lately, though earlier ones did. Check that the Cloudonix domain still has the CDR URL below.',
    });
  }
  return out;
}
