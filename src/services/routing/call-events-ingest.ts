import type { CdrPayload, SessionUpdate } from '../../core/routing/cloudonix-payloads.js';
import { storedNumber } from '../../store/call-records.js';
import type { Repositories } from '../../store/index.js';
import { writeJson } from '../../store/json-column.js';
import type { Clock } from '../clock.js';
import type { CallLife, CallTenant } from './call-life.js';
import { DuplicateEvent, UnknownSession } from './call-recorder.js';
import type { SessionCheck } from './session-verifier.js';

/** `unverified_session`: the tenant verifies unknown sessions and Cloudonix has no such session; nothing was stored. */
export type IngestResult = { kind: 'recorded'; callId: number; status: string } | { kind: 'duplicate' } | { kind: 'unverified_session' };
export type CdrResult = { kind: 'recorded'; cdrId: number; callId: number | null } | { kind: 'duplicate' } | { kind: 'unverified_session' };

/** Asks Cloudonix whether a tenant's session exists (see session-verifier.ts). */
export type CheckSession = (tenantId: number, sessionToken: string) => Promise<SessionCheck>;

/** What the tenant asked of events for sessions we never routed. */
export interface IngestOptions {
  /** The tenant's verify_unknown_sessions: check a session without a record with Cloudonix before storing. */
  verify: boolean;
}
const NO_CHECK: IngestOptions = { verify: false };

/** Cloudonix session directions (incoming, outgoing, outbound-api, ...) in our two words. */
function directionOf(raw: string | null): string {
  return raw === 'outgoing' || raw === 'outbound' || raw === 'outbound-api' ? 'outbound' : 'inbound';
}

/** A CDR's natural key: one CDR per session (shared/cloudonix.md §5.1), else per SIP Call-ID. */
export function cdrKey(c: CdrPayload): string | null {
  return c.sessionToken ? `s:${c.sessionToken}` : c.callId ? `c:${c.callId}` : null;
}

/**
 * Session updates and CDRs: each is folded into its call's story (see
 * core/lifecycle), which frees slots and finalises the record. Calls we never
 * routed are recorded too, so the picture of the domain is complete. A
 * redelivered update (same eventId) or CDR (same session) is stored once, however
 * late: the database's unique indexes (call_events' tenant and eventId, cdrs' tenant
 * and natural key) refuse the copy inside the call's transaction, so nothing of it is
 * written (no timeline row, no fold, no count) and no key per event is kept anywhere
 * (the plane held one for 24 hours: ~4 entries per ended call, a day's volume).
 */
export function createCallEventsIngest(repos: Repositories, life: CallLife, clock: Clock, checkSession: CheckSession) {
  /**
   * Writes with `write(onlyKnown)`. For a tenant that verifies, the first try writes only onto a
   * record the session has (the read every write makes, so known sessions cost nothing more); a
   * session without one is asked of Cloudonix and written only if Cloudonix has it or cannot say.
   */
  async function writeChecked<T>(t: CallTenant, sessionToken: string, options: IngestOptions, write: (onlyKnown: boolean) => Promise<T>): Promise<T | { kind: 'unverified_session' }> {
    if (!options.verify) return write(false);
    try {
      return await write(true);
    } catch (err) {
      if (!(err instanceof UnknownSession)) throw err;
    }
    if ((await checkSession(t.tenantId, sessionToken)) === 'missing') return { kind: 'unverified_session' };
    return write(false);
  }

  return {
    async sessionUpdate(t: CallTenant, u: SessionUpdate & { sessionToken: string }, options: IngestOptions = NO_CHECK): Promise<IngestResult> {
      // A redelivery is refused by the unique (tenant, event_id) index in the call's transaction
      // (DuplicateEvent): redeliveries are rare, so the common update pays no extra round trip for them.
      try {
        const written = await writeChecked(t, u.sessionToken, options, (onlyKnown) =>
          life.record(
            t,
            { sessionToken: u.sessionToken, direction: directionOf(u.direction), from: u.from, to: u.to, startedAt: u.startedAt ?? undefined, cloudonixDirection: u.direction },
            [
              {
                eventType: 'session.updated',
                eventId: u.eventId,
                event: { kind: 'session', status: u.status, startedAt: u.startedAt, answeredAt: u.answeredAt, endedAt: u.endedAt },
                payload: { status: u.status, answered_at: u.answeredAt, ended_at: u.endedAt },
              },
            ],
            { onlyKnown },
          ),
        );
        if ('kind' in written) return written;
        return { kind: 'recorded', callId: Number(written.record.id), status: written.record.status };
      } catch (err) {
        if (err instanceof DuplicateEvent) return { kind: 'duplicate' };
        throw err;
      }
    },

    /**
     * `c` must have a natural key (see cdrKey): the webhook refuses one without. A CDR without a
     * session token has no session to ask Cloudonix about: it is kept as Cloudonix sent it.
     */
    async cdr(t: CallTenant, c: CdrPayload, raw: unknown, options: IngestOptions = NO_CHECK): Promise<CdrResult> {
      const key = cdrKey(c);
      if (!key) throw new Error('a CDR without a session token or Call-ID cannot be stored once');
      const row = (callRecordId: number | null) => ({
        tenant_id: t.tenantId,
        call_record_id: callRecordId,
        session_token: c.sessionToken,
        call_id: c.callId,
        from_number: storedNumber(c.from),
        to_number: storedNumber(c.to),
        disposition: c.disposition ? c.disposition.slice(0, 20) : null,
        duration_seconds: c.durationSeconds,
        billsec: c.billsec,
        payload: writeJson(raw),
        received_at: clock(),
        dedupe_key: key.slice(0, 300),
      });
      if (!c.sessionToken) {
        // No session to join: the CDR is kept as Cloudonix sent it, once.
        const cdrId = await repos.cdrs.insertUnlessDuplicate(row(null));
        return cdrId === undefined ? { kind: 'duplicate' } : { kind: 'recorded', cdrId, callId: null };
      }
      let cdrId = 0;
      try {
        // The CDR row and its fold into the call commit together: a retry after a failure finds neither.
        const sessionToken = c.sessionToken;
        const write = (onlyKnown: boolean) =>
          life.record(
            t,
            { sessionToken, direction: 'inbound', from: c.from, to: c.to, startedAt: c.startedAt ?? undefined },
            [
              {
                eventType: 'cdr.received',
                event: { kind: 'cdr', disposition: c.disposition, billsec: c.billsec, durationSeconds: c.durationSeconds, startedAt: c.startedAt, answeredAt: c.answeredAt, endedAt: c.endedAt },
                payload: { disposition: c.disposition, duration: c.durationSeconds, billsec: c.billsec },
              },
            ],
            {
              onlyKnown,
              alsoWrite: async (trx, callRecordId) => {
                const id = await repos.cdrs.insertUnlessDuplicate(row(callRecordId), trx);
                if (id === undefined) throw new DuplicateEvent();
                cdrId = id;
              },
            },
          );
        const written = await writeChecked(t, sessionToken, options, write);
        if ('kind' in written) return written;
        return { kind: 'recorded', cdrId, callId: Number(written.record.id) };
      } catch (err) {
        if (err instanceof DuplicateEvent) return { kind: 'duplicate' };
        throw err;
      }
    },
  };
}
export type CallEventsIngest = ReturnType<typeof createCallEventsIngest>;
