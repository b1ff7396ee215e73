import { describe, expect, it } from 'vitest';
import { zeroCounts, type RollupCounts, type RollupEntry } from '../../src/core/stats/rollup-contribution.js';
import { rollupDifference } from '../../src/core/stats/rollup-difference.js';

const day = '2026-12-07';
const entry = (agentId: number, counts: Partial<RollupCounts>): RollupEntry => ({ tenantId: 1, day, agentId, groupId: 0, counts: { ...zeroCounts(), ...counts } });
/** Stored rows with the difference added, as the database's atomic add leaves them. */
function added(stored: readonly RollupEntry[], difference: readonly RollupEntry[]): RollupEntry[] {
  const rows = new Map(stored.map((e) => [e.agentId, { ...e, counts: { ...e.counts } }]));
  for (const d of difference) {
    const row = rows.get(d.agentId) ?? entry(d.agentId, {});
    for (const [c, v] of Object.entries(d.counts)) row.counts[c as keyof RollupCounts] += v;
    rows.set(d.agentId, row);
  }
  return [...rows.values()].sort((a, b) => a.agentId - b.agentId);
}

describe('what a recompute adds to a day\'s stored rows', () => {
  it('nothing when the rows are the calls\' counts', () => {
    const rows = [entry(1, { calls: 3, answered: 2, duration_sum: 90, duration_count: 2 }), entry(2, { calls: 1, failed: 1 })];
    expect(rollupDifference(rows, rows.map((r) => ({ ...r, counts: { ...r.counts } })))).toEqual([]);
  });

  it('what brings drifted rows to the calls\' counts, a row no call has any more back to zeros, a missing row whole', () => {
    const truth = [entry(1, { calls: 5, answered: 4, duration_sum: 200, duration_count: 4, overflowed: 1 }), entry(3, { calls: 2, fb_no_rule: 2 })];
    const stored = [entry(1, { calls: 999, answered: 0 }), entry(2, { calls: 1, failed: 1 })];
    const difference = rollupDifference(truth, stored);
    expect(difference).toEqual([
      entry(1, { calls: -994, answered: 4, duration_sum: 200, duration_count: 4, overflowed: 1 }),
      entry(2, { calls: -1, failed: -1 }),
      entry(3, { calls: 2, fb_no_rule: 2 }),
    ]);
    expect(added(stored, difference)).toEqual([...truth.slice(0, 1), entry(2, {}), truth[1]]);
  });

  it('keeps what calls written after the snapshot added: the rows end at the calls\' counts then', () => {
    const truth = [entry(1, { calls: 10, answered: 7 })];
    const stored = [entry(1, { calls: 8, answered: 7 })];
    const difference = rollupDifference(truth, stored);
    // Two calls were written between the read and the add, each adding itself to the row.
    const meanwhile = [entry(1, { calls: 10, answered: 8 })];
    expect(added(meanwhile, difference)).toEqual([entry(1, { calls: 12, answered: 8 })]);
  });

  it('leaves what it was given as it was, and writes no negative zeros', () => {
    const truth = [entry(1, { calls: 1 })];
    const stored = [entry(1, { calls: 2 })];
    const before = JSON.stringify([truth, stored]);
    const [d] = rollupDifference(truth, stored);
    expect(JSON.stringify([truth, stored])).toBe(before);
    expect(Object.values(d!.counts).filter((v) => Object.is(v, -0))).toEqual([]);
  });
});
