import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replayFrom } from '../../src/core/realtime/replay-from.js';

const T = 1_700_000_000_000;
const entries = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i }));

describe('replayFrom: what a reconnecting dashboard missed', () => {
  it('replays exactly the entries after the last id, in order', () => {
    const log = { first: T, last: T + 9, entries: entries(T, T + 9) };
    expect(replayFrom(T + 6, log)).toEqual({ kind: 'replay', entries: entries(T + 7, T + 9), last: T + 9 });
    expect(replayFrom(T + 9, log)).toEqual({ kind: 'replay', entries: [], last: T + 9 });
    // 0: the client saw the log empty, so it missed the whole numbering.
    expect(replayFrom(0, log)).toEqual({ kind: 'replay', entries: entries(T, T + 9), last: T + 9 });
    expect(replayFrom(T - 1, log)).toEqual({ kind: 'replay', entries: entries(T, T + 9), last: T + 9 });
  });

  it('resyncs when the log no longer holds everything missed', () => {
    const trimmed = { first: T, last: T + 9, entries: entries(T + 5, T + 9) };
    expect(replayFrom(T + 2, trimmed)).toEqual({ kind: 'resync', reason: 'too_far_behind', last: T + 9 });
    expect(replayFrom(0, trimmed)).toEqual({ kind: 'resync', reason: 'too_far_behind', last: T + 9 });
    expect(replayFrom(T + 4, trimmed).kind).toBe('replay');
    // A hole in the middle (an entry too old to count) is not a replay either.
    const holed = { first: T, last: T + 4, entries: [{ seq: T + 1 }, { seq: T + 3 }, { seq: T + 4 }] };
    expect(replayFrom(T, holed).kind).toBe('resync');
  });

  it('resyncs an id from a numbering the log does not have (restart, lost data, another deployment)', () => {
    const log = { first: T, last: T + 3, entries: entries(T, T + 3) };
    expect(replayFrom(T + 50, log)).toEqual({ kind: 'resync', reason: 'unknown_id', last: T + 3 });
    expect(replayFrom(57, log)).toEqual({ kind: 'resync', reason: 'unknown_id', last: T + 3 });
    expect(replayFrom(57, { first: 0, last: 0, entries: [] })).toEqual({ kind: 'resync', reason: 'unknown_id', last: 0 });
    expect(replayFrom(0, { first: 0, last: 0, entries: [] })).toEqual({ kind: 'replay', entries: [], last: 0 });
  });

  it('a replay is always the gapless run up to the last number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 60 }), (count, kept, after) => {
        const last = T + count - 1;
        const log = { first: T, last, entries: entries(Math.max(T, last - kept + 1), last) };
        const afterSeq = after === 0 ? 0 : T - 1 + after;
        const plan = replayFrom(afterSeq, log);
        if (plan.kind === 'replay') {
          const from = Math.max(afterSeq, T - 1);
          expect(plan.entries.map((e) => e.seq)).toEqual(entries(from + 1, last).map((e) => e.seq));
        }
      }),
    );
  });
});
