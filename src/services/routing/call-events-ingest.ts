import type { CdrPayload, SessionUpdate } from '../../core/routing/cloudonix-payloads.js';
import type { Plane } from '../../plane/plane.js';
import { storedNumber } from '../../store/call-records.js';
import type { Repositories } from '../../store/index.js';
import { writeJson } from '../../store/json-column.js';
import type { Clock } from '../clock.js';
import type { CallLife, CallTenant } from './call-life.js';
import { DuplicateEvent } from './call-recorder.js';

const DEDUPE_TTL_MS = 24 * 3_600_000;

export type IngestResult = { kind: 'recorded'; callId: number; status: string } | { kind: 'duplicate' };
export type CdrResult = { kind: 'recorded'; cdrId: number; callId: number | null } | { kind: 'duplicate' };

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
 * redelivered update (same eventId) or CDR (same session) is stored once.
 */
export function createCallEventsIngest(repos: Repositories, life: CallLife, plane: Plane, clock: Clock) {
  return {
    async sessionUpdate(t: CallTenant, u: SessionUpdate & { sessionToken: string }): Promise<IngestResult> {
      // Fast path for redeliveries, remembered only once stored: a failed write must stay retryable.
      // The unique (tenant, event_id) index is the guarantee.
      const seenKey = u.eventId ? `t:${t.tenantId}:session-event:${u.eventId}` : null;
      if (seenKey && (await plane.recall(seenKey)) !== null) return { kind: 'duplicate' };
      try {
        const { record } = await life.record(t, { sessionToken: u.sessionToken, direction: directionOf(u.direction), from: u.from, to: u.to, startedAt: u.startedAt ?? undefined, cloudonixDirection: u.direction }, [
          {
            eventType: 'session.updated',
            eventId: u.eventId,
            event: { kind: 'session', status: u.status, startedAt: u.startedAt, answeredAt: u.answeredAt, endedAt: u.endedAt },
            payload: { status: u.status, answered_at: u.answeredAt, ended_at: u.endedAt },
          },
        ]);
        if (seenKey) void plane.rememberFirst(seenKey, '1', DEDUPE_TTL_MS).catch(() => {});
        return { kind: 'recorded', callId: Number(record.id), status: record.status };
      } catch (err) {
        if (err instanceof DuplicateEvent) return { kind: 'duplicate' };
        throw err;
      }
    },

    /** `c` must have a natural key (see cdrKey): the webhook refuses one without. */
    async cdr(t: CallTenant, c: CdrPayload, raw: unknown): Promise<CdrResult> {
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
        const { record } = await life.record(
          t,
          { sessionToken: c.sessionToken, direction: 'inbound', from: c.from, to: c.to, startedAt: c.startedAt ?? undefined },
          [
            {
              eventType: 'cdr.received',
              event: { kind: 'cdr', disposition: c.disposition, billsec: c.billsec, durationSeconds: c.durationSeconds, startedAt: c.startedAt, answeredAt: c.answeredAt, endedAt: c.endedAt },
              payload: { disposition: c.disposition, duration: c.durationSeconds, billsec: c.billsec },
            },
          ],
          {
            alsoWrite: async (trx, callRecordId) => {
              const id = await repos.cdrs.insertUnlessDuplicate(row(callRecordId), trx);
              if (id === undefined) throw new DuplicateEvent();
              cdrId = id;
            },
          },
        );
        return { kind: 'recorded', cdrId, callId: Number(record.id) };
      } catch (err) {
        if (err instanceof DuplicateEvent) return { kind: 'duplicate' };
        throw err;
      }
    },
  };
}
export type CallEventsIngest = ReturnType<typeof createCallEventsIngest>;
