/**
 * What one call adds to its day's roll-up row, and what a change to the call adds or takes
 * away: the incremental roll-ups apply `rollupDelta(before, after)` with the call's write, so a
 * day's rows cost the same per call however many calls the day holds. It must agree, call by
 * call, with the full recompute's SQL (store/call-rollups.ts `aggregate`), which stays as the
 * repair path: a comparison test holds the two together on every database.
 */

/** The roll-up's counters (the columns of call_daily_rollups after its key). */
export const ROLLUP_COUNTERS = [
  'calls',
  'answered',
  'failed',
  'duration_sum',
  'duration_count',
  'overflowed',
  'fb_no_rule',
  'fb_target_missing',
  'fb_no_candidate',
  'fb_all_at_capacity',
  'fb_attempts_exhausted',
  'fb_error',
] as const;
export type RollupCounter = (typeof ROLLUP_COUNTERS)[number];
export type RollupCounts = Record<RollupCounter, number>;

/** A roll-up row's key: the tenant, the call's local day, its agent and group (0 = none). */
export interface RollupKey {
  tenantId: number;
  day: string;
  agentId: number;
  groupId: number;
}
export interface RollupEntry extends RollupKey {
  counts: RollupCounts;
}

/** The columns of a call the roll-up reads; the decision trace as stored (JSON text) or parsed. */
export interface RolledCall {
  status: string;
  duration_seconds: number | null;
  agent_id: number | null;
  group_id: number | null;
  is_test: number;
  decision_trace: unknown;
}

const ANSWERED = new Set(['completed']);
const FAILED = new Set(['failed', 'busy', 'no_answer']);
const FALLBACK_REASONS = { no_rule: 'fb_no_rule', target_missing: 'fb_target_missing', attempts_exhausted: 'fb_attempts_exhausted', error: 'fb_error' } as const;

export function zeroCounts(): RollupCounts {
  return { calls: 0, answered: 0, failed: 0, duration_sum: 0, duration_count: 0, overflowed: 0, fb_no_rule: 0, fb_target_missing: 0, fb_no_candidate: 0, fb_all_at_capacity: 0, fb_attempts_exhausted: 0, fb_error: 0 };
}

function parsedTrace(value: unknown): Record<string, unknown> | null {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** The trace's `skipped` as the SQL reads it (the member's JSON text), null when absent or a JSON null. */
function skippedText(trace: Record<string, unknown> | null): string | null {
  const s = trace?.skipped;
  if (s === undefined || s === null) return null;
  // The usual trace skipped nobody: its text without serialising it.
  if (Array.isArray(s) && s.length === 0) return '[]';
  return typeof s === 'string' ? s : JSON.stringify(s);
}

function fallbackReason(trace: Record<string, unknown> | null): string | null {
  const f = trace?.fallback;
  if (typeof f !== 'object' || f === null) return null;
  const r = (f as Record<string, unknown>).reason;
  return typeof r === 'string' ? r : null;
}

/**
 * The counts one call adds to its day, or null for a test call (left out of analytics).
 * Mirrors the SQL, its nulls included: a trace without a `skipped` list counts neither as
 * overflowed nor as either kind of no-candidate fallback.
 */
export function rollupContribution(call: RolledCall): RollupCounts | null {
  if (Number(call.is_test) === 1) return null;
  const c = zeroCounts();
  c.calls = 1;
  const answered = ANSWERED.has(call.status);
  if (answered) c.answered = 1;
  if (FAILED.has(call.status)) c.failed = 1;
  if (answered && call.duration_seconds !== null && call.duration_seconds !== undefined) {
    c.duration_sum = Number(call.duration_seconds);
    c.duration_count = 1;
  }
  const trace = parsedTrace(call.decision_trace);
  const fb = fallbackReason(trace);
  const skipped = skippedText(trace);
  // A full provider pool is a cap too (store/call-rollups.ts routingSums).
  const atCap = skipped === null ? null : skipped.includes('"at_capacity"') || skipped.includes('"pool_full"');
  const otherSkip = skipped === null ? null : skipped.includes('"disabled"') || skipped.includes('"unhealthy"') || skipped.includes('"deleted"');
  if (fb === null && call.agent_id !== null && atCap === true) c.overflowed = 1;
  if (fb === 'no_candidate' && atCap !== null && otherSkip !== null) {
    if (atCap && !otherSkip) c.fb_all_at_capacity = 1;
    else c.fb_no_candidate = 1;
  }
  if (fb !== null && fb in FALLBACK_REASONS) c[FALLBACK_REASONS[fb as keyof typeof FALLBACK_REASONS]] = 1;
  return c;
}

function keyOf(tenantId: number, call: RolledCall, day: string): RollupKey {
  return { tenantId, day, agentId: call.agent_id === null ? 0 : Number(call.agent_id), groupId: call.group_id === null ? 0 : Number(call.group_id) };
}

const keyText = (k: RollupKey) => `${k.tenantId}|${k.day}|${k.agentId}|${k.groupId}`;

/** A call's side of a change: its columns and the local day it started on. */
export interface RolledSide {
  call: RolledCall;
  day: string;
}

/**
 * What a change to a call (null before: new; null after: gone) does to the roll-ups: its
 * contribution after minus before, per row key, rows left unchanged dropped. A call whose story
 * is corrected after it ended (a late CDR) moves between counters, or between agents' rows.
 */
export function rollupDelta(tenantId: number, before: RolledSide | null, after: RolledSide | null): RollupEntry[] {
  if (before === null) return after === null ? [] : rollupOfNewCall(tenantId, after);
  const out = new Map<string, RollupEntry>();
  const add = (side: RolledSide | null, sign: 1 | -1) => {
    if (!side) return;
    const counts = rollupContribution(side.call);
    if (!counts) return;
    const key = keyOf(tenantId, side.call, side.day);
    const entry = out.get(keyText(key)) ?? Object.assign({}, key, { counts: zeroCounts() });
    for (const c of ROLLUP_COUNTERS) entry.counts[c] += sign * counts[c];
    out.set(keyText(key), entry);
  };
  add(after, 1);
  add(before, -1);
  return [...out.values()].filter((e) => ROLLUP_COUNTERS.some((c) => e.counts[c] !== 0));
}

/**
 * `rollupDelta(tenantId, null, side)` without its per-key map: a new call (every routed call's
 * first write) adds its contribution to one row. Equal entry for entry (a test holds them together).
 */
export function rollupOfNewCall(tenantId: number, side: RolledSide): RollupEntry[] {
  const counts = rollupContribution(side.call);
  if (!counts) return [];
  // The delta sums onto zeros: a -0 duration is stored as 0 there too.
  counts.duration_sum += 0;
  // `calls` is 1: the entry is never all zeros, so none is dropped.
  return [Object.assign(keyOf(tenantId, side.call, side.day), { counts })];
}

/**
 * Entries of many changes summed per row key and ordered by key, so that writers taking the
 * same rows take them in the same order (no deadlock between two batches).
 */
export function mergeRollupEntries(entries: readonly RollupEntry[]): RollupEntry[] {
  const out = new Map<string, RollupEntry>();
  for (const e of entries) {
    const k = keyText(e);
    const into = out.get(k);
    if (!into) out.set(k, { tenantId: e.tenantId, day: e.day, agentId: e.agentId, groupId: e.groupId, counts: { ...e.counts } });
    else for (const c of ROLLUP_COUNTERS) into.counts[c] += e.counts[c];
  }
  return [...out.values()]
    .filter((e) => ROLLUP_COUNTERS.some((c) => e.counts[c] !== 0))
    .sort((a, b) => a.tenantId - b.tenantId || (a.day < b.day ? -1 : a.day > b.day ? 1 : a.agentId - b.agentId || a.groupId - b.groupId));
}
