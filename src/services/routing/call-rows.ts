import type { Updateable } from 'kysely';
import { NO_FACTS, type CallEvent, type CallFacts } from '../../core/lifecycle/call-event.js';
import { firstAnswerEventType } from '../../core/lifecycle/first-timeline.js';
import { factsText } from '../../core/lifecycle/facts-text.js';
import { foldCallEvent } from '../../core/lifecycle/fold-call.js';
import { tellStory, type CallStory } from '../../core/lifecycle/tell-story.js';
import type { RolledCall } from '../../core/stats/rollup-contribution.js';
import { storedNumber } from '../../store/call-records.js';
import { writeJson } from '../../store/json-column.js';
import type { NewCallEventRow, NewCallRow } from '../../store/routed-calls.js';
import type { CallRecordsTable } from '../../store/schema.js';

/**
 * How a call's changes become the rows the recorder writes: its record's columns and its
 * timeline entries. Each value is told and serialised once per write (the routed call's hot path).
 */

export interface NewCall {
  sessionToken: string;
  direction: string;
  from: string | null;
  to: string | null;
  startedAt?: number | undefined;
  /** Cloudonix's Direction, as sent. */
  cloudonixDirection?: string | null | undefined;
}

/** One entry of a call's timeline, and what it tells of the call's life. */
export interface CallChange {
  eventType: string;
  /** Cloudonix's eventId: a change carrying one already stored is a duplicate delivery. */
  eventId?: string | null | undefined;
  payload?: unknown;
  /** Folded into the call's facts; its story decides status, agent, times and reason. */
  event?: CallEvent | undefined;
  /** Routing columns set with the change (decision trace, rule, group, direction). */
  fields?: Updateable<CallRecordsTable> | undefined;
  /**
   * The value `fields.decision_trace` was serialised from, when the change has it at hand:
   * the roll-up reads it as is instead of parsing the text just written.
   */
  trace?: unknown;
}

/** The status of a call nothing is known of yet (the story of no facts), told once. */
export const NEW_CALL_STATUS: string = tellStory(NO_FACTS).status;

/** The record's columns that tell the story: one place maps a story onto a row. */
export function storyColumns(story: CallStory, facts: CallFacts): Updateable<CallRecordsTable> {
  return {
    status: story.status,
    outcome_reason: story.reason,
    agent_id: story.agentId,
    attempt: story.attempts.length,
    answered_at: story.answeredAt,
    ended_at: story.endedAt,
    duration_seconds: story.durationSeconds,
    billsec: story.billsec,
    disposition: story.disposition,
    facts: factsText(facts),
  };
}

/** A call we have just heard of: nothing decided yet. */
export function newCallRow(tenantId: number, call: NewCall, now: number): NewCallRow {
  return {
    tenant_id: tenantId,
    session_token: call.sessionToken,
    direction: call.direction,
    cloudonix_direction: call.cloudonixDirection?.slice(0, 20) ?? null,
    from_number: storedNumber(call.from),
    to_number: storedNumber(call.to),
    status: 'received',
    outcome_reason: null,
    agent_id: null,
    group_id: null,
    rule_id: null,
    attempt: 0,
    decision_trace: null,
    disposition: null,
    started_at: call.startedAt ?? now,
    answered_at: null,
    ended_at: null,
    duration_seconds: null,
    billsec: null,
    facts: null,
    variant: null,
    is_test: 0,
    first_answer: null,
    created_at: now,
    updated_at: now,
  };
}

/**
 * A new call's record after its changes: `{ ...newCallRow, ...fields, ...storyColumns }` (same
 * columns, values and order) built in place, without the two intermediate objects.
 */
export function newRecordRow(tenantId: number, call: NewCall, now: number, fields: Updateable<CallRecordsTable>, story: CallStory, facts: CallFacts): NewCallRow {
  const row = Object.assign(newCallRow(tenantId, call, now), fields as Partial<NewCallRow>);
  row.status = story.status;
  row.outcome_reason = story.reason;
  row.agent_id = story.agentId;
  row.attempt = story.attempts.length;
  row.answered_at = story.answeredAt;
  row.ended_at = story.endedAt;
  row.duration_seconds = story.durationSeconds;
  row.billsec = story.billsec;
  row.disposition = story.disposition;
  row.facts = factsText(facts);
  return row;
}

/** Changes applied in order: the facts and story after them, their timeline rows, the columns they set. */
export interface Timeline {
  facts: CallFacts;
  story: CallStory;
  rows: NewCallEventRow[];
  fields: Updateable<CallRecordsTable>;
  /** The decision trace the changes set, as a value when the change that set it last gave one (see CallChange.trace). */
  trace: unknown;
}

/**
 * The timeline rows of changes applied in order from `facts` (whose story's status is
 * `status`), and the facts and story after them. The story is told once per change that
 * brings an event, and not again after: the last one told is the call's story.
 */
export function timeline(facts: CallFacts, status: string, changes: readonly CallChange[], now: number): Timeline {
  let story: CallStory | null = null;
  let fields: Updateable<CallRecordsTable> = {};
  let trace: unknown = undefined;
  const rows: NewCallEventRow[] = [];
  for (const c of changes) {
    // A change without an event leaves the facts, so the story, as they were.
    if (c.event) facts = foldCallEvent(facts, c.event);
    if (c.event || story === null) story = tellStory(facts);
    const next = story.status;
    rows.push({ event_id: c.eventId ?? null, event_type: c.eventType, from_status: status, to_status: next, payload: c.payload === undefined ? null : writeJson(c.payload), occurred_at: now });
    if (c.fields) {
      fields = changes.length === 1 ? c.fields : Object.assign({}, fields, c.fields);
      if (Object.hasOwn(c.fields, 'decision_trace')) trace = c.trace !== undefined ? c.trace : c.fields.decision_trace;
    }
    status = next;
  }
  return { facts, story: story ?? tellStory(facts), rows, fields, trace };
}

/** The columns the roll-up reads of a record, the decision trace as the value the changes gave when they did. */
export function rolledCall(record: RolledCall, trace: unknown): RolledCall {
  return {
    status: record.status,
    duration_seconds: record.duration_seconds,
    agent_id: record.agent_id,
    group_id: record.group_id,
    is_test: record.is_test,
    decision_trace: trace !== undefined ? trace : record.decision_trace,
  };
}

/**
 * The first answer's row when a new call's changes are exactly one step-0 answer with no
 * eventId: then its first entries are what core/lifecycle/first-timeline.ts derives from
 * the record, and only the answer's payload needs keeping (call_records.first_answer).
 */
export function firstAnswerOnly(changes: readonly CallChange[], rows: readonly NewCallEventRow[]): NewCallEventRow | null {
  const [only] = changes;
  if (changes.length !== 1 || !only || only.eventId != null || only.event?.kind !== 'answer' || only.event.step !== 0) return null;
  // Other first answers (a console test call's `call.test_placed`) keep their rows: the derivation names only these.
  if (only.eventType !== firstAnswerEventType(only.event.act)) return null;
  const row = rows[0]!;
  // Payload-less answers are stored as rows: a null column means "rows stored".
  return row.payload === null ? null : row;
}
