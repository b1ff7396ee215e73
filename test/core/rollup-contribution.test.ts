import { describe, expect, it } from 'vitest';
import { mergeRollupEntries, rollupContribution, rollupDelta, zeroCounts, type RolledCall } from '../../src/core/stats/rollup-contribution.js';

const call = (over: Partial<RolledCall> = {}): RolledCall => ({ status: 'ringing', duration_seconds: null, agent_id: 7, group_id: null, is_test: 0, decision_trace: null, ...over });
const trace = (fallback: string | null, skipped: string[] | null) => JSON.stringify({ fallback: fallback === null ? null : { reason: fallback }, ...(skipped === null ? {} : { skipped: skipped.map((reason) => ({ agent_id: 1, name: 'at_capacity agent', reason })) }) });

describe('what one call adds to its day', () => {
  it('counts a call, answered with its duration, or failed', () => {
    expect(rollupContribution(call())).toEqual({ ...zeroCounts(), calls: 1 });
    expect(rollupContribution(call({ status: 'completed', duration_seconds: 42 }))).toEqual({ ...zeroCounts(), calls: 1, answered: 1, duration_sum: 42, duration_count: 1 });
    expect(rollupContribution(call({ status: 'completed' }))).toEqual({ ...zeroCounts(), calls: 1, answered: 1 });
    for (const status of ['failed', 'busy', 'no_answer']) expect(rollupContribution(call({ status, duration_seconds: 3 }))).toEqual({ ...zeroCounts(), calls: 1, failed: 1 });
  });

  it('leaves test calls out', () => {
    expect(rollupContribution(call({ is_test: 1, status: 'completed', duration_seconds: 5 }))).toBeNull();
  });

  it('reads overflow and the fallback reason from the trace, stored as text or parsed, the way the SQL does', () => {
    expect(rollupContribution(call({ decision_trace: trace(null, ['at_capacity']) }))!.overflowed).toBe(1);
    expect(rollupContribution(call({ decision_trace: JSON.parse(trace(null, ['pool_full'])) }))!.overflowed).toBe(1);
    // Without an agent it did not overflow to anyone; a name that says at_capacity is not a skip.
    expect(rollupContribution(call({ agent_id: null, decision_trace: trace(null, ['at_capacity']) }))!.overflowed).toBe(0);
    expect(rollupContribution(call({ decision_trace: trace(null, ['disabled']) }))!.overflowed).toBe(0);
    expect(rollupContribution(call({ decision_trace: trace('no_candidate', ['at_capacity', 'pool_full']) }))).toMatchObject({ fb_all_at_capacity: 1, fb_no_candidate: 0 });
    expect(rollupContribution(call({ decision_trace: trace('no_candidate', ['at_capacity', 'unhealthy']) }))).toMatchObject({ fb_all_at_capacity: 0, fb_no_candidate: 1 });
    expect(rollupContribution(call({ decision_trace: trace('no_candidate', []) }))).toMatchObject({ fb_all_at_capacity: 0, fb_no_candidate: 1 });
    // SQL's nulls: no skipped list at all counts as neither kind.
    expect(rollupContribution(call({ decision_trace: trace('no_candidate', null) }))).toMatchObject({ fb_all_at_capacity: 0, fb_no_candidate: 0 });
    for (const [reason, column] of [['no_rule', 'fb_no_rule'], ['target_missing', 'fb_target_missing'], ['attempts_exhausted', 'fb_attempts_exhausted'], ['error', 'fb_error']] as const) {
      expect(rollupContribution(call({ agent_id: null, decision_trace: trace(reason, []) }))![column]).toBe(1);
    }
    expect(rollupContribution(call({ decision_trace: 'not json' }))).toEqual({ ...zeroCounts(), calls: 1 });
  });
});

describe('what a change to a call adds', () => {
  const day = '2026-11-24';
  it('a new call adds itself; a change that moves no counter adds nothing', () => {
    expect(rollupDelta(1, null, { call: call(), day })).toEqual([{ tenantId: 1, day, agentId: 7, groupId: 0, counts: { ...zeroCounts(), calls: 1 } }]);
    expect(rollupDelta(1, { call: call(), day }, { call: call({ status: 'in_progress' }), day })).toEqual([]);
  });

  it('a late CDR that corrects an ended call moves it between counters', () => {
    const [e] = rollupDelta(1, { call: call({ status: 'busy' }), day }, { call: call({ status: 'completed', duration_seconds: 25 }), day });
    expect(e!.counts).toEqual({ ...zeroCounts(), failed: -1, answered: 1, duration_sum: 25, duration_count: 1 });
  });

  it('a call handed to another agent leaves one row for the other; a call marked a test call leaves its row', () => {
    const moved = rollupDelta(1, { call: call({ agent_id: 7 }), day }, { call: call({ agent_id: 8 }), day });
    expect(moved.map((e) => [e.agentId, e.counts.calls])).toEqual([[8, 1], [7, -1]]);
    expect(rollupDelta(1, { call: call(), day }, { call: call({ is_test: 1 }), day })).toEqual([{ tenantId: 1, day, agentId: 7, groupId: 0, counts: { ...zeroCounts(), calls: -1 } }]);
  });

  it('entries of many changes are summed per row and ordered by key, zeros dropped', () => {
    const a = rollupDelta(1, null, { call: call({ agent_id: 9 }), day });
    const b = rollupDelta(1, null, { call: call({ agent_id: 2 }), day });
    const c = rollupDelta(1, { call: call({ agent_id: 9 }), day }, { call: call({ agent_id: 9, status: 'completed', duration_seconds: 4 }), day });
    const gone = rollupDelta(1, { call: call({ agent_id: 5 }), day }, null);
    const back = rollupDelta(1, null, { call: call({ agent_id: 5 }), day });
    const merged = mergeRollupEntries([...a, ...b, ...c, ...gone, ...back]);
    expect(merged.map((e) => [e.agentId, e.counts.calls, e.counts.answered, e.counts.duration_sum])).toEqual([[2, 1, 0, 0], [9, 1, 1, 4]]);
  });
});
