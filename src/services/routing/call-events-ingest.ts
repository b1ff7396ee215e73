import { normalizeDisposition } from '../../core/routing/call-status.js';
import { isTerminal, type CallState } from '../../core/routing/call-state.js';
import { MAX_DURATION_SECONDS, type CdrPayload, type SessionUpdate } from '../../core/routing/cloudonix-payloads.js';
import { stateFromDisposition, stateFromSession } from '../../core/routing/session-status.js';
import type { Plane } from '../../plane/plane.js';
import { storedNumber, type CallRecordRow } from '../../store/call-records.js';
import type { Repositories } from '../../store/index.js';
import { writeJson } from '../../store/json-column.js';
import type { Clock } from '../clock.js';
import type { DistributionService } from '../distribution-service.js';
import { DuplicateEvent, type CallRecorder } from './call-recorder.js';

const DEDUPE_TTL_MS = 24 * 3_600_000;

export type IngestResult = { kind: 'recorded'; callId: number; status: string } | { kind: 'duplicate' };

/** Cloudonix session directions (incoming, outgoing, ...) in our two words. */
function directionOf(raw: string | null): string {
  return raw === 'outgoing' || raw === 'outbound' || raw === 'outbound-api' ? 'outbound' : 'inbound';
}

/** Whole seconds between two times; null when unknown, reversed, or too long to be a call. */
function seconds(from: number | null, to: number | null): number | null {
  if (from === null || to === null || to < from) return null;
  const s = Math.round((to - from) / 1000);
  return s <= MAX_DURATION_SECONDS ? s : null;
}

/**
 * Session updates and CDRs: they move a call through its states, free the agent's
 * live-call slot when the call ends, and finalise the record. Calls we never
 * routed are recorded too, so the picture of the domain is complete.
 */
export function createCallEventsIngest(repos: Repositories, recorder: CallRecorder, distribution: DistributionService, plane: Plane, clock: Clock) {
  async function releaseIfEnded(tenantId: number, record: CallRecordRow, sessionToken: string): Promise<void> {
    if (record.agent_id !== null && isTerminal(record.status as CallState)) await distribution.releaseSlot(tenantId, Number(record.agent_id), sessionToken);
  }

  return {
    async sessionUpdate(tenantId: number, u: SessionUpdate & { sessionToken: string }): Promise<IngestResult> {
      // Fast path for redeliveries; the unique (tenant, event_id) index is the guarantee.
      if (u.eventId && !(await plane.rememberFirst(`t:${tenantId}:session-event:${u.eventId}`, '1', DEDUPE_TTL_MS)).first) return { kind: 'duplicate' };
      const { record } = await recorder.open(tenantId, { sessionToken: u.sessionToken, direction: directionOf(u.direction), from: u.from, to: u.to, startedAt: u.startedAt ?? undefined });
      const wasConnected = record.status === 'connected' || record.answered_at !== null;
      const to = stateFromSession(u.status, u.answeredAt, u.endedAt, wasConnected) ?? (record.status as CallState);
      const answeredAt = record.answered_at ?? u.answeredAt;
      const endedAt = record.ended_at ?? u.endedAt;
      try {
        const after = await recorder.change(tenantId, record, [
          {
            to,
            eventType: 'session.updated',
            eventId: u.eventId,
            payload: { status: u.status, answered_at: u.answeredAt, ended_at: u.endedAt },
            fields: {
              answered_at: answeredAt,
              ended_at: endedAt,
              ...(endedAt !== null && record.duration_seconds === null ? { duration_seconds: seconds(u.startedAt ?? Number(record.started_at), endedAt) } : {}),
            },
          },
        ]);
        await releaseIfEnded(tenantId, after, u.sessionToken);
        return { kind: 'recorded', callId: Number(after.id), status: after.status };
      } catch (err) {
        if (err instanceof DuplicateEvent) return { kind: 'duplicate' };
        throw err;
      }
    },

    async cdr(tenantId: number, c: CdrPayload, raw: unknown): Promise<{ cdrId: number; callId: number | null }> {
      const record = c.sessionToken ? await repos.callRecords.findBySession(tenantId, c.sessionToken) : undefined;
      const disposition = normalizeDisposition(c.disposition);
      const cdrId = await repos.cdrs.insert({
        tenant_id: tenantId,
        call_record_id: record ? Number(record.id) : null,
        session_token: c.sessionToken,
        call_id: c.callId,
        from_number: storedNumber(c.from),
        to_number: storedNumber(c.to),
        disposition: c.disposition ? c.disposition.slice(0, 20) : null,
        duration_seconds: c.durationSeconds,
        billsec: c.billsec,
        payload: writeJson(raw),
        received_at: clock(),
      });
      if (!record) return { cdrId, callId: null };
      // The CDR is the authoritative end of the call: it finalises the record.
      const to = stateFromDisposition(disposition) ?? (record.status as CallState);
      const after = await recorder.change(tenantId, record, [
        {
          to,
          eventType: 'cdr.received',
          payload: { disposition: c.disposition, duration: c.durationSeconds, billsec: c.billsec },
          fields: {
            disposition,
            ended_at: c.endedAt ?? record.ended_at ?? clock(),
            answered_at: record.answered_at ?? c.answeredAt,
            duration_seconds: c.durationSeconds ?? record.duration_seconds,
            billsec: c.billsec ?? record.billsec,
          },
        },
      ]);
      if (after.agent_id !== null && c.sessionToken) await distribution.releaseSlot(tenantId, Number(after.agent_id), c.sessionToken);
      return { cdrId, callId: Number(record.id) };
    },
  };
}
export type CallEventsIngest = ReturnType<typeof createCallEventsIngest>;
