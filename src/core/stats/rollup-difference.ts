import { mergeRollupEntries, ROLLUP_COUNTERS, type RollupCounts, type RollupEntry } from './rollup-contribution.js';

/**
 * What must be added to a day's stored roll-up rows to make them the counts of its calls, both
 * read in one snapshot: per row key, the calls' counts minus the stored ones (a stored row no
 * call has any more is taken back to zeros), keys with nothing to add left out, in
 * `mergeRollupEntries`' key order. Added with the rows' atomic add, it corrects them without
 * replacing them, so calls written since the snapshot keep what they added.
 */
export function rollupDifference(truth: readonly RollupEntry[], stored: readonly RollupEntry[]): RollupEntry[] {
  const takenBack = stored.map((e) => {
    const counts = {} as RollupCounts;
    for (const c of ROLLUP_COUNTERS) counts[c] = 0 - e.counts[c];
    return { tenantId: e.tenantId, day: e.day, agentId: e.agentId, groupId: e.groupId, counts };
  });
  return mergeRollupEntries([...truth, ...takenBack]);
}
