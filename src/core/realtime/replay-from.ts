import type { ResyncReason } from '../schemas/realtime.js';

/** A tenant's event log as read back: its numbering's first and last number, and the entries kept. */
export interface LogSpan<T extends { readonly seq: number }> {
  readonly first: number;
  readonly last: number;
  readonly entries: readonly T[];
}

export type ReplayPlan<T> =
  | { readonly kind: 'replay'; readonly entries: readonly T[]; readonly last: number }
  | { readonly kind: 'resync'; readonly reason: ResyncReason; readonly last: number };

/**
 * What a client that last saw `afterSeq` missed: every entry after it, when the log
 * still holds all of them without a hole, else a resync. `afterSeq` 0 means "saw an
 * empty log", so it misses the log's whole numbering. A number above the log's last,
 * or below its numbering's start, comes from a numbering this log no longer has
 * (a restarted memory plane, lost Redis data): nothing can be replayed against it.
 */
export function replayFrom<T extends { readonly seq: number }>(afterSeq: number, log: LogSpan<T>): ReplayPlan<T> {
  if (afterSeq > log.last) return { kind: 'resync', reason: 'unknown_id', last: log.last };
  if (afterSeq === log.last) return { kind: 'replay', entries: [], last: log.last };
  if (afterSeq !== 0 && afterSeq < log.first - 1) return { kind: 'resync', reason: 'unknown_id', last: log.last };
  const from = Math.max(afterSeq, log.first - 1);
  const entries = log.entries.filter((e) => e.seq > from);
  // Numbers are gapless, so holding as many entries as numbers, from the first one on, is holding them all.
  const complete = entries.length === log.last - from && entries[0]?.seq === from + 1;
  return complete ? { kind: 'replay', entries, last: log.last } : { kind: 'resync', reason: 'too_far_behind', last: log.last };
}
