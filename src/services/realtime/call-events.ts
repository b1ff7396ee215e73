import { outcomeReasons, type OutcomeReason } from '../../core/lifecycle/outcome-reason.js';
import { isTerminal, type CallState } from '../../core/routing/call-state.js';
import type { RealtimeCall, RealtimeEventName } from '../../core/schemas/realtime.js';
import type { CallRecordRow } from '../../store/call-records.js';
import type { CallWrite } from '../routing/call-recorder.js';
import { isoTime } from '../views.js';

type CallEventName = Extract<RealtimeEventName, `call.${string}`>;

/** Timeline event types that record a routing decision (see routing/voice-flow.ts). */
const DECISIONS = new Set(['call.connecting', 'call.unrouted']);

const num = (v: number | null): number | null => (v === null ? null : Number(v));
const reasons: ReadonlySet<string> = new Set(outcomeReasons);
/** A stored reason in the one vocabulary (a word from elsewhere reads as none). */
const outcomeReasonOf = (v: string | null): OutcomeReason | null => (v !== null && reasons.has(v) ? (v as OutcomeReason) : null);
const ended = (status: string) => isTerminal(status as CallState);

/** The call as a dashboard shows it, from the row already in hand (no read on the hot path). */
export function toRealtimeCall(row: CallRecordRow): RealtimeCall {
  return {
    id: Number(row.id),
    session_token: row.session_token,
    direction: row.direction,
    from: row.from_number,
    to: row.to_number,
    status: row.status,
    outcome_reason: outcomeReasonOf(row.outcome_reason),
    cloudonix_direction: row.cloudonix_direction,
    agent_id: num(row.agent_id),
    group_id: num(row.group_id),
    rule_id: num(row.rule_id),
    attempt: Number(row.attempt),
    disposition: row.disposition,
    started_at: isoTime(Number(row.started_at)),
    answered_at: isoTime(num(row.answered_at)),
    ended_at: isoTime(num(row.ended_at)),
    duration_seconds: num(row.duration_seconds),
    billsec: num(row.billsec),
    variant: row.variant ?? null,
    is_test: Number(row.is_test) === 1,
  };
}

/**
 * The dashboard events of one committed call write, in the order they happened:
 * a new record is `call.started`; a routing decision (first or failover) is
 * `call.routed`; reaching a final state is `call.ended`; any other write is
 * `call.status.updated`.
 */
export function callEventsOf(write: CallWrite): { events: CallEventName[]; call: RealtimeCall } {
  if (write.kind === 'created') {
    const events: CallEventName[] = ['call.started'];
    if (write.routed) events.push('call.routed');
    if (ended(write.record.status)) events.push('call.ended');
    return { events, call: toRealtimeCall(write.record) };
  }
  const events: CallEventName[] = [];
  if (write.changes.some((c) => DECISIONS.has(c.eventType))) events.push('call.routed');
  if (!ended(write.before.status) && ended(write.after.status)) events.push('call.ended');
  if (events.length === 0) events.push('call.status.updated');
  return { events, call: toRealtimeCall(write.after) };
}
