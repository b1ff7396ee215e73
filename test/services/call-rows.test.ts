import { describe, expect, it } from 'vitest';
import type { CallEvent, CallFacts } from '../../src/core/lifecycle/call-event.js';
import { foldCall, foldCallEvent } from '../../src/core/lifecycle/fold-call.js';
import { tellStory, type CallStory } from '../../src/core/lifecycle/tell-story.js';
import { ROLLUP_COUNTERS, rollupContribution, rollupDelta, rollupOfNewCall, zeroCounts, type RolledSide, type RollupEntry } from '../../src/core/stats/rollup-contribution.js';
import { firstAnswerOnly, newCallRow, newRecordRow, NEW_CALL_STATUS, rolledCall, storyColumns, timeline, type CallChange, type NewCall } from '../../src/services/routing/call-rows.js';
import { writeJson } from '../../src/store/json-column.js';
import type { NewCallEventRow, NewCallRow } from '../../src/store/routed-calls.js';

/**
 * The routed call's first write builds its row, timeline and roll-up without re-telling,
 * re-serialising or re-parsing what it already has: byte for byte what the straightforward
 * construction (kept here as the reference, as it was written before) gives.
 */

/** The reference: every story told, the row spread together, the trace parsed back from its text. */
function reference(tenantId: number, call: NewCall, changes: readonly CallChange[], now: number) {
  let facts: CallFacts = foldCall([]);
  let status: string = tellStory(facts).status;
  let fields: Record<string, unknown> = {};
  const rows: NewCallEventRow[] = [];
  for (const c of changes) {
    if (c.event) facts = foldCallEvent(facts, c.event);
    const next = tellStory(facts).status;
    rows.push({ event_id: c.eventId ?? null, event_type: c.eventType, from_status: status, to_status: next, payload: c.payload === undefined ? null : writeJson(c.payload), occurred_at: now });
    fields = { ...fields, ...c.fields };
    status = next;
  }
  const story = tellStory(facts);
  const record: NewCallRow = { ...newCallRow(tenantId, call, now), ...(fields as Partial<NewCallRow>), ...(storyColumns(story, facts) as Partial<NewCallRow>) };
  const first = firstAnswerOnly(changes, rows);
  if (first) record.first_answer = first.payload;
  const received: NewCallEventRow = { event_id: null, event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: now };
  const rollup = legacyDelta(tenantId, null, { call: record, day: '2026-12-07' });
  return { record, events: first ? [] : [received, ...rows], rollup, story };
}

/** The hot path as call-recorder's createRouted runs it. */
function hotPath(tenantId: number, call: NewCall, changes: readonly CallChange[], now: number) {
  const t = timeline(foldCall([]), NEW_CALL_STATUS, changes, now);
  const record = newRecordRow(tenantId, call, now, t.fields, t.story, t.facts);
  const first = firstAnswerOnly(changes, t.rows);
  if (first) record.first_answer = first.payload;
  const received: NewCallEventRow = { event_id: null, event_type: 'call.received', from_status: null, to_status: 'received', payload: null, occurred_at: now };
  const rollup = rollupOfNewCall(tenantId, { call: rolledCall(record, t.trace), day: '2026-12-07' });
  return { record, events: first ? [] : [received, ...t.rows], rollup, story: t.story };
}

/** rollupDelta as it was before its new-call shortcut: per-key map, summed onto zeros. */
function legacyDelta(tenantId: number, before: RolledSide | null, after: RolledSide | null): RollupEntry[] {
  const out = new Map<string, RollupEntry>();
  const add = (side: RolledSide | null, sign: 1 | -1) => {
    if (!side) return;
    const counts = rollupContribution(side.call);
    if (!counts) return;
    const key = { tenantId, day: side.day, agentId: side.call.agent_id === null ? 0 : Number(side.call.agent_id), groupId: side.call.group_id === null ? 0 : Number(side.call.group_id) };
    const text = `${key.tenantId}|${key.day}|${key.agentId}|${key.groupId}`;
    const entry = out.get(text) ?? { ...key, counts: zeroCounts() };
    for (const c of ROLLUP_COUNTERS) entry.counts[c] += sign * counts[c];
    out.set(text, entry);
  };
  add(after, 1);
  add(before, -1);
  return [...out.values()].filter((e) => ROLLUP_COUNTERS.some((c) => e.counts[c] !== 0));
}

const call: NewCall = { sessionToken: 's-1', direction: 'inbound', from: '+12125550100', to: '+12125550187', cloudonixDirection: 'inbound' };
const NOW = 1_796_000_000_000;

/** A decision trace as voice-flow's `answered` writes it, with its value alongside. */
function answer(step: number, act: CallEvent & { kind: 'answer' }, trace: Record<string, unknown>, routing: Record<string, unknown> = {}, payload: Record<string, unknown> | undefined = { rule: null, target: null }): CallChange {
  const eventType = act.act === 'dial' ? 'call.connecting' : step === 0 ? 'call.unrouted' : 'call.hangup';
  return { eventType, event: act, fields: { ...routing, decision_trace: writeJson(trace) }, trace, payload: payload && { ...payload, agent_id: act.act === 'dial' ? act.agentId : null, fallback: trace.fallback ?? null } };
}
const dial = (step: number, agentId: number | null, fallback: 'no_candidate' | null = null): CallEvent & { kind: 'answer' } => ({ kind: 'answer', step, at: NOW, act: 'dial', attempt: step + 1, agentId, fallback });
const end = (step: number, fallback: 'no_rule' | 'no_candidate' | null): CallEvent & { kind: 'answer' } => ({ kind: 'answer', step, at: NOW, act: 'end', fallback });
const trace = (over: Record<string, unknown> = {}) => ({ direction: 'inbound', matched_rule: { id: 3, kind: 'inbound', name: 'main', pattern: '*' }, candidates: [7, 8], skipped: [{ agent_id: 8, reason: 'at_capacity' }], chosen_agent_id: 7, attempts: [{ agent_id: 7 }], fallback: null, ...over });
const routing = { direction: 'inbound', rule_id: 3, group_id: 2 };

const sequences: Record<string, CallChange[]> = {
  'one step-0 dial (the usual first write)': [answer(0, dial(0, 7), trace(), routing)],
  'a split arm': [answer(0, dial(0, 7), trace({ split: { rule_id: 3, arm: 'b', counter: 4 } }), { ...routing, variant: 'b' })],
  'unrouted: no rule': [answer(0, end(0, 'no_rule'), trace({ matched_rule: null, fallback: { type: 'hangup', reason: 'no_rule' }, skipped: [] }), { direction: 'inbound', rule_id: null, group_id: null })],
  'fallback to a number, all at capacity': [answer(0, dial(0, null, 'no_candidate'), trace({ chosen_agent_id: null, fallback: { type: 'number', reason: 'no_candidate' }, skipped: [{ agent_id: 7, reason: 'pool_full' }] }), routing)],
  'a payload-less answer (rows stored)': [answer(0, dial(0, 7), trace(), routing, undefined)],
  'an answer with an eventId': [{ ...answer(0, dial(0, 7), trace(), routing), eventId: 'ev-1' }],
  'a trace given only as text': [{ ...answer(0, dial(0, 7), trace(), routing), trace: undefined }],
  'no changes': [],
  'a change without an event first': [{ eventType: 'call.note', payload: { x: 1 } }, answer(0, dial(0, 7), trace(), routing)],
  'answer, dial result, failover answer': [
    answer(0, dial(0, 7), trace(), routing),
    { eventType: 'call.dial_result', event: { kind: 'dial_result', attempt: 1, outcome: 'busy' }, fields: { decision_trace: writeJson(trace({ noted: true })) }, payload: { outcome: 'busy', attempt: 1 } },
    answer(1, dial(1, 8), trace({ chosen_agent_id: 8, skipped: [] })),
  ],
  'answered, then a CDR': [
    answer(0, dial(0, 7), trace(), routing),
    { eventType: 'call.dial_result', event: { kind: 'dial_result', attempt: 1, outcome: 'answered' } },
    { eventType: 'call.cdr', event: { kind: 'cdr', disposition: 'ANSWER', billsec: 30, durationSeconds: 32, startedAt: NOW, answeredAt: NOW + 2000, endedAt: NOW + 32_000 }, payload: { disposition: 'ANSWER' } },
  ],
};

describe("a routed call's first write", () => {
  for (const [name, changes] of Object.entries(sequences)) {
    it(`${name}: the same row, timeline, roll-up and story as before`, () => {
      const was = reference(5, call, changes, NOW);
      const now = hotPath(5, call, changes, NOW);
      expect(JSON.stringify(now.record)).toBe(JSON.stringify(was.record));
      expect(JSON.stringify(now.events)).toBe(JSON.stringify(was.events));
      expect(JSON.stringify(now.rollup)).toBe(JSON.stringify(was.rollup));
      expect(now.story).toEqual(was.story satisfies CallStory);
    });
  }

  it('the new-call roll-up equals the general delta, test calls and odd durations included', () => {
    const base = { status: 'completed', duration_seconds: 12, agent_id: 7, group_id: null, is_test: 0, decision_trace: writeJson(trace()) };
    for (const over of [{}, { is_test: 1 }, { duration_seconds: -0 }, { status: 'busy', agent_id: null }, { decision_trace: trace({ fallback: { reason: 'no_candidate' } }) }]) {
      const side = { call: { ...base, ...over }, day: '2026-12-07' };
      expect(JSON.stringify(rollupOfNewCall(9, side))).toBe(JSON.stringify(legacyDelta(9, null, side)));
      expect(Object.is(rollupOfNewCall(9, side)[0]?.counts.duration_sum, legacyDelta(9, null, side)[0]?.counts.duration_sum)).toBe(true);
      expect(rollupDelta(9, null, side)).toEqual(legacyDelta(9, null, side));
    }
  });
});
