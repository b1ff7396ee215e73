import { z } from 'zod';
import { invalidFields, notFound } from '../core/errors.js';
import { firstTimeline, withFirstTimeline } from '../core/lifecycle/first-timeline.js';
import { fallbackOutcomeReasons, type OutcomeReason } from '../core/lifecycle/outcome-reason.js';
import { normalizeDisposition } from '../core/routing/call-status.js';
import { normalizeDigits } from '../core/routing/phone-number.js';
import {
  dispositionSpellings,
  type CallEventView,
  type CallRecordDetail,
  type CallRecordListQuery,
  type CallRecordView,
  type CdrDetail,
  type CdrListQuery,
  type CdrView,
} from '../core/schemas/call-records.js';
import { dateBoundInstant, type DateBound } from '../core/time/date-bound.js';
import type { CallEventRow } from '../store/call-events.js';
import type { CallRecordRow, NamedCallRecordRow } from '../store/call-records.js';
import type { CdrRow } from '../store/cdrs.js';
import type { Repositories } from '../store/index.js';
import { readJson } from '../store/json-column.js';
import { factsOfRow } from './routing/stored-facts.js';
import { toRealtimeCall } from './realtime/call-events.js';
import { readSettings } from './tenant-service.js';
import { isoTime, pageMeta, type PageMeta } from './views.js';

interface Deps {
  repos: Repositories;
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));
/** Traces are written as objects; anything else read back is shown as no trace rather than failing the response. */
const asObject = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

/** The tenant's IANA time zone (settings.timezone, UTC by default): days in filters and stats are its days. */
export async function tenantTimeZone(repos: Repositories, tenantId: number): Promise<string> {
  const row = await repos.tenants.findById(tenantId);
  return row ? readSettings(row).timezone : 'UTC';
}

/**
 * `start_date` / `end_date` as the half-open range [from, before) of instants.
 * The tenant is read only when a bound is a calendar day, which needs its zone.
 */
async function dateWindow(repos: Repositories, tenantId: number, q: { start_date?: DateBound | undefined; end_date?: DateBound | undefined }) {
  const { start_date: start, end_date: end } = q;
  if (!start && !end) return { from: undefined, before: undefined };
  const tz = start?.kind === 'day' || end?.kind === 'day' ? await tenantTimeZone(repos, tenantId) : 'UTC';
  const from = start ? dateBoundInstant(start, 'start', tz) : undefined;
  const before = end ? dateBoundInstant(end, 'end', tz) : undefined;
  if (from !== undefined && before !== undefined && before <= from) throw invalidFields({ end_date: ['must not be before start_date'] });
  return { from, before };
}

const fallbackTrace = z.object({ fallback: z.object({ type: z.string().max(40) }).nullable().catch(null) }).catch({ fallback: null });

/** What the fallback route did with the call, from its decision trace; null when the story does not say the fallback took it. */
function fallbackTargetOf(row: NamedCallRecordRow): string | null {
  if (row.outcome_reason === null || !fallbackOutcomeReasons.includes(row.outcome_reason as OutcomeReason)) return null;
  return fallbackTrace.parse(readJson<unknown>(row.decision_trace, null)).fallback?.type ?? null;
}

/** An agent by the digits of its number (service_value), for the caller IDs of outbound calls. */
export type AgentsByNumber = ReadonlyMap<string, { id: number; name: string }>;

/** A call as the lists show it: the dashboards' view of the row, plus agent and group names, the fallback it took and the agent that placed it. */
export function toCallRecordView(row: NamedCallRecordRow, agentsByNumber: AgentsByNumber = new Map()): CallRecordView {
  const caller = row.direction === 'outbound' ? agentsByNumber.get(normalizeDigits(row.from_number)) : undefined;
  return {
    ...toRealtimeCall(row),
    agent_name: row.agent_name,
    group_name: row.group_name,
    fallback_target: fallbackTargetOf(row),
    caller_agent_id: caller?.id ?? null,
    caller_agent_name: caller?.name ?? null,
  };
}

/** The tenant's agents by number, read only when some outbound call needs a name. */
export async function agentsByNumberFor(repos: Repositories, tenantId: number, rows: readonly NamedCallRecordRow[]): Promise<AgentsByNumber> {
  if (!rows.some((r) => r.direction === 'outbound' && r.from_number !== null)) return new Map();
  const out = new Map<string, { id: number; name: string }>();
  for (const a of await repos.voiceAgents.listAll(tenantId)) {
    const digits = normalizeDigits(a.service_value);
    if (digits.length >= 3 && !out.has(digits)) out.set(digits, { id: Number(a.id), name: a.name });
  }
  return out;
}

function toCdrView(row: Omit<CdrRow, 'payload' | 'dedupe_key'>): CdrView {
  return {
    id: Number(row.id),
    call_record_id: num(row.call_record_id),
    session_token: row.session_token,
    call_id: row.call_id,
    from: row.from_number,
    to: row.to_number,
    disposition: row.disposition,
    disposition_normalized: row.disposition === null ? null : normalizeDisposition(row.disposition),
    duration_seconds: num(row.duration_seconds),
    billsec: num(row.billsec),
    received_at: isoTime(row.received_at),
  };
}

function toCdrDetail(row: CdrRow): CdrDetail {
  return { ...toCdrView(row), payload: readJson<unknown>(row.payload, null) };
}

/**
 * A call's timeline as shown: its stored entries and, for a routed call whose first write
 * stored none (first_answer set), the entries that write implies. Those have no row: their
 * ids are -1 and -2, unique within the call (the drawer keys entries by id).
 */
function timelineOf(row: CallRecordRow, events: readonly CallEventRow[]): CallEventView[] {
  const stored = events.map((e) => ({ id: Number(e.id), event_type: e.event_type, from_status: e.from_status, to_status: e.to_status, payload: readJson<unknown>(e.payload, null), occurred_at: Number(e.occurred_at) }));
  const derived =
    row.first_answer == null
      ? []
      : firstTimeline({ createdAt: Number(row.created_at), facts: factsOfRow(row), answerPayload: readJson<unknown>(row.first_answer, null) }).map((e, i) => ({ id: -1 - i, ...e }));
  return withFirstTimeline(stored, derived).map((e) => ({ ...e, occurred_at: isoTime(e.occurred_at) }));
}

/** Reading the call history: records with their timelines and traces, and the CDRs Cloudonix sent. */
export function createCallRecordsService({ repos }: Deps) {
  return {
    async list(tenantId: number, q: CallRecordListQuery): Promise<{ data: CallRecordView[]; meta: PageMeta }> {
      const { from, before } = await dateWindow(repos, tenantId, q);
      const { rows, total, capped } = await repos.callRecords.list(tenantId, {
        agentId: q.agent_id,
        groupId: q.group_id,
        statuses: q.status,
        outcomes: q.outcome,
        direction: q.direction,
        fromDigits: q.from,
        toDigits: q.to,
        sessionToken: q.session_token,
        startedFrom: from,
        startedBefore: before,
        minDuration: q.min_duration,
        maxDuration: q.max_duration,
        isTest: q.is_test,
        page: q.page,
        perPage: q.per_page,
        order: q.sort,
      });
      const agents = await agentsByNumberFor(repos, tenantId, rows);
      return { data: rows.map((r) => toCallRecordView(r, agents)), meta: pageMeta(q.page, q.per_page, total, capped) };
    },

    /** The record, its routing decision, its timeline in order and the CDRs of its session. */
    async detail(tenantId: number, id: number): Promise<CallRecordDetail> {
      const row = await repos.callRecords.findNamed(tenantId, id);
      if (!row) throw notFound('Call record');
      const [events, cdrs] = await Promise.all([repos.callEvents.listForCall(tenantId, Number(row.id)), repos.cdrs.listForSession(tenantId, row.session_token)]);
      return {
        ...toCallRecordView(row, await agentsByNumberFor(repos, tenantId, [row])),
        decision_trace: asObject(readJson<unknown>(row.decision_trace, null)),
        events: timelineOf(row, events),
        cdrs: cdrs.map(toCdrDetail),
      };
    },

    async listCdrs(tenantId: number, q: CdrListQuery): Promise<{ data: CdrView[]; meta: PageMeta }> {
      const { from, before } = await dateWindow(repos, tenantId, q);
      const { rows, total, capped } = await repos.cdrs.list(tenantId, {
        fromDigits: q.from,
        toDigits: q.to,
        dispositionSpellings: q.disposition === undefined ? undefined : dispositionSpellings[q.disposition],
        sessionToken: q.token,
        receivedFrom: from,
        receivedBefore: before,
        page: q.page,
        perPage: q.per_page,
      });
      return { data: rows.map(toCdrView), meta: pageMeta(q.page, q.per_page, total, capped) };
    },

    async cdrDetail(tenantId: number, id: number): Promise<CdrDetail> {
      const row = await repos.cdrs.findById(tenantId, id);
      if (!row) throw notFound('CDR');
      return toCdrDetail(row);
    },
  };
}
export type CallRecordsService = ReturnType<typeof createCallRecordsService>;
