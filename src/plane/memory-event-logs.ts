import type { LogPolicy, LogRead } from './plane.js';
import { LOG_COUNTER_TTL_MS } from './plane-policy.js';

interface EventLog {
  first: number;
  last: number;
  /** Oldest first; `at` is the caller's `now` at append, as the Redis plane stores it. */
  entries: { seq: number; at: number; entry: string }[];
  /** The counter's real-time expiry (LOG_COUNTER_TTL_MS after the last append). */
  expiresAtReal: number;
  /** The entries' real-time expiry (`retainMs` after the last append), like the Redis zset's TTL. */
  entriesExpireAtReal: number;
}

/**
 * The memory plane's numbered event logs (a counter and a ZSET of entries on the Redis plane):
 * entries kept by count and age, their counter outliving them so numbering never restarts early.
 */
export function createMemoryEventLogs() {
  const logs = new Map<string, EventLog>();

  function live(key: string): EventLog | undefined {
    const log = logs.get(key);
    if (log && log.expiresAtReal <= Date.now()) {
      logs.delete(key);
      return undefined;
    }
    return log;
  }

  return {
    /** Stores the entries, numbered on from the log's last; their numbers. */
    append(key: string, entries: readonly string[], policy: LogPolicy, now: number): number[] {
      const realNow = Date.now();
      const log = live(key) ?? { first: 0, last: 0, entries: [], expiresAtReal: 0, entriesExpireAtReal: 0 };
      if (log.entriesExpireAtReal <= realNow) log.entries = [];
      const at = Math.floor(now);
      const seqs: number[] = [];
      for (const entry of entries) {
        // A log without a counter numbers from the current time (see the Plane interface).
        const seq = log.last === 0 ? Math.max(1, at) : log.last + 1;
        if (log.last === 0) log.first = seq;
        log.last = seq;
        log.entries.push({ seq, at, entry });
        seqs.push(seq);
      }
      const keep = Math.max(1, policy.maxEntries);
      if (log.entries.length > keep) log.entries.splice(0, log.entries.length - keep);
      log.entriesExpireAtReal = realNow + policy.retainMs;
      log.expiresAtReal = realNow + LOG_COUNTER_TTL_MS;
      logs.set(key, log);
      return seqs;
    },

    read(key: string, afterSeq: number, policy: LogPolicy, now: number): LogRead {
      const log = live(key);
      if (!log) return { first: 0, last: 0, entries: [] };
      const kept = log.entriesExpireAtReal > Date.now() && afterSeq < log.last ? log.entries : [];
      const cutoff = now - policy.retainMs;
      return {
        first: log.first,
        last: log.last,
        entries: kept.filter((e) => e.seq > afterSeq && e.at > cutoff).map(({ seq, entry }) => ({ seq, entry })),
      };
    },

    /** Drops logs forgotten by real time `realNow`, and entries past their age. */
    sweep(realNow: number): void {
      for (const [key, log] of logs) {
        if (log.expiresAtReal <= realNow) logs.delete(key);
        else if (log.entriesExpireAtReal <= realNow) log.entries = [];
      }
    },

    get size(): number {
      return logs.size;
    },
  };
}
