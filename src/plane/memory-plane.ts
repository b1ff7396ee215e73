import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ImmediatePlane, Plane } from './plane.js';
import { createMemoryEventLogs } from './memory-event-logs.js';
import { createMemorySlots } from './memory-slots.js';
import { retainedBuckets, windowPruneAbove } from './plane-policy.js';

/** Options of the embedded plane. */
export interface MemoryPlaneOptions {
  /** How often expired entries are swept; lazy removal on access does the rest. Default 30 s. */
  sweepIntervalMs?: number;
  /** Called when a pub/sub handler throws; the other handlers still receive the message. */
  onHandlerError?: (error: unknown, channel: string) => void;
}

interface Expiring<T> {
  value: T;
  /** Real time (Date.now()) after which the entry is gone, like a Redis PEXPIRE. */
  expiresAtReal: number;
}

interface Window {
  /** bucket index → count. */
  buckets: Map<number, number>;
  expiresAtReal: number;
}

/** What a memory plane holds, by kind of entry, after dropping what has expired (see memoryPlaneSize). */
export interface MemoryPlaneSize {
  readonly counters: number;
  readonly windows: number;
  readonly times: number;
  readonly slots: number;
  readonly locks: number;
  readonly remembered: number;
  readonly logs: number;
  readonly total: number;
}

const sizers = new WeakMap<Plane, () => MemoryPlaneSize>();

/**
 * A read-only count of a memory plane's entries, for tests and benchmarks (is the plane bounded
 * by the calls in flight?); undefined for any other plane. Expired entries are swept first, as
 * Redis would have dropped them.
 */
export function memoryPlaneSize(plane: Plane): MemoryPlaneSize | undefined {
  return sizers.get(plane)?.();
}

/**
 * The embedded-mode plane: everything in this process's memory. It mirrors the
 * Redis plane's semantics, including when things are forgotten: windows, times,
 * locks and remembered values expire in real time (as Redis TTLs do), while slot
 * liveness and window buckets follow the `now`/`at` values the caller passes.
 *
 * Memory stays bounded: expired entries are dropped when touched, and an unref'd
 * sweep removes the ones nobody touches again.
 */
export function createMemoryPlane(options: MemoryPlaneOptions = {}): Plane {
  const counters = new Map<string, number>();
  const windows = new Map<string, Window>();
  const times = new Map<string, Expiring<number>>();
  const slots = createMemorySlots();
  const locks = new Map<string, Expiring<string>>();
  const remembered = new Map<string, Expiring<string>>();
  const logs = createMemoryEventLogs();
  const bus = new EventEmitter();
  // Every live-call view and worker may listen on the same channel; no leak warning for that.
  bus.setMaxListeners(0);

  /** Returns the entry if it has not expired in real time, dropping it otherwise. */
  function live<T extends { expiresAtReal: number }>(map: Map<string, T>, key: string): T | undefined {
    const entry = map.get(key);
    if (entry && entry.expiresAtReal <= Date.now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  function sweep(): void {
    const realNow = Date.now();
    for (const map of [windows, times, locks, remembered] as Map<string, { expiresAtReal: number }>[]) {
      for (const [key, entry] of map) if (entry.expiresAtReal <= realNow) map.delete(key);
    }
    slots.sweep(realNow);
    logs.sweep(realNow);
  }
  const sweeper = setInterval(sweep, options.sweepIntervalMs ?? 30_000);
  // The sweep is housekeeping: it must never keep a CLI command or a test process alive.
  sweeper.unref();

  // The routing path's operations, answered at once; the Plane methods of the same names wrap them.
  const immediate: ImmediatePlane = {
    rememberFirst(key, value, ttlMs) {
      const existing = live(remembered, key);
      if (existing) return { first: false, value: existing.value };
      remembered.set(key, { value, expiresAtReal: Date.now() + ttlMs });
      return { first: true, value };
    },
    rememberFirstAndPeek(key, value, ttlMs, counterKey) {
      const { first, value: stored } = immediate.rememberFirst(key, value, ttlMs);
      return { first, value: stored, counter: counters.get(counterKey) ?? 0 };
    },
    rotationSnapshot(counterKey, advance, slotKeys, timeKeys, now) {
      let counter = counters.get(counterKey) ?? 0;
      if (advance) counters.set(counterKey, ++counter);
      return { counter, slots: immediate.slotCounts(slotKeys, now), times: immediate.getTimes(timeKeys) };
    },
    acquireSlot(key, member, cap, expiresAt, now) {
      if (!slots.admits(key, member, cap, expiresAt, now)) return false;
      slots.take(key, member, expiresAt, now);
      return true;
    },
    acquireSlots(claims, expiresAt, now) {
      // Judged and taken in one synchronous step: nothing else runs in between, as in the Redis script.
      const refused = claims.findIndex((c) => !slots.admits(c.key, c.member, c.cap, expiresAt, now));
      if (refused >= 0) return refused;
      for (const c of claims) slots.take(c.key, c.member, expiresAt, now);
      return -1;
    },
    slotCounts(keys, now) {
      return keys.map((key) => slots.count(key, now));
    },
    incr(key) {
      const next = (counters.get(key) ?? 0) + 1;
      counters.set(key, next);
      return next;
    },
    peekCounter(key) {
      return counters.get(key) ?? 0;
    },
    windowAdd(key, at, bucketMs, retainMs) {
      const window = live(windows, key) ?? { buckets: new Map<number, number>(), expiresAtReal: 0 };
      const index = Math.floor(at / bucketMs);
      window.buckets.set(index, (window.buckets.get(index) ?? 0) + 1);
      window.expiresAtReal = Date.now() + retainMs;
      const keep = retainedBuckets(bucketMs, retainMs);
      if (window.buckets.size > windowPruneAbove(keep)) {
        for (const b of window.buckets.keys()) if (b < index - keep) window.buckets.delete(b);
      }
      windows.set(key, window);
    },
    windowCounts(keys, from, to, bucketMs) {
      const first = Math.floor(from / bucketMs);
      const last = Math.floor(to / bucketMs);
      return keys.map((key) => {
        const buckets = live(windows, key)?.buckets;
        if (!buckets || last < first) return 0;
        let sum = 0;
        // Walk whichever is smaller: the range or the buckets held.
        if (last - first + 1 <= buckets.size) {
          for (let b = first; b <= last; b++) sum += buckets.get(b) ?? 0;
        } else {
          for (const [b, count] of buckets) if (b >= first && b <= last) sum += count;
        }
        return sum;
      });
    },
    setTime(key, at, retainMs) {
      times.set(key, { value: at, expiresAtReal: Date.now() + retainMs });
    },
    getTimes(keys) {
      return keys.map((key) => live(times, key)?.value ?? null);
    },
    tryLock(key, ttlMs) {
      if (live(locks, key)) return null;
      const token = randomUUID();
      locks.set(key, { value: token, expiresAtReal: Date.now() + ttlMs });
      return token;
    },
    unlock(key, token) {
      if (live(locks, key)?.value !== token) return false;
      locks.delete(key);
      return true;
    },
  };

  const plane: Plane = {
    kind: 'memory',
    immediate,
    // This process's memory is the whole plane: nothing to fail over from.
    degraded: false,
    onDegradedChange: () => () => {},
    beforeResuming: () => () => {},
    ping: async () => 0,
    async close() {
      clearInterval(sweeper);
      bus.removeAllListeners();
    },

    incr: async (key) => immediate.incr(key),
    peekCounter: async (key) => immediate.peekCounter(key),

    async resetCounter(key) {
      counters.delete(key);
    },

    windowAdd: async (key, at, bucketMs, retainMs) => immediate.windowAdd(key, at, bucketMs, retainMs),
    windowCounts: async (keys, from, to, bucketMs) => immediate.windowCounts(keys, from, to, bucketMs),
    setTime: async (key, at, retainMs) => immediate.setTime(key, at, retainMs),
    getTimes: async (keys) => immediate.getTimes(keys),

    acquireSlot: async (key, member, cap, expiresAt, now) => immediate.acquireSlot(key, member, cap, expiresAt, now),

    acquireSlots: async (claims, expiresAt, now) => immediate.acquireSlots(claims, expiresAt, now),

    releaseSlot: async (key, member) => slots.release(key, member),

    slotCounts: async (keys, now) => immediate.slotCounts(keys, now),

    rotationSnapshot: async (counterKey, advance, slotKeys, timeKeys, now) => immediate.rotationSnapshot(counterKey, advance, slotKeys, timeKeys, now),

    slotMembers: async (key, now) => slots.members(key, now),

    tryLock: async (key, ttlMs) => immediate.tryLock(key, ttlMs),
    unlock: async (key, token) => immediate.unlock(key, token),

    rememberFirst: async (key, value, ttlMs) => immediate.rememberFirst(key, value, ttlMs),
    rememberFirstAndPeek: async (key, value, ttlMs, counterKey) => immediate.rememberFirstAndPeek(key, value, ttlMs, counterKey),

    async recall(key) {
      return live(remembered, key)?.value ?? null;
    },

    async forget(key) {
      remembered.delete(key);
    },

    async appendToLog(key, channel, entries, policy, now) {
      const seqs = logs.append(key, entries, policy, now);
      // Published once stored, as the Redis script does, so a subscriber that reads the log back finds them.
      seqs.forEach((seq, i) => bus.emit(channel, `${seq} ${entries[i]}`));
      return seqs;
    },

    readLog: async (key, afterSeq, policy, now) => logs.read(key, afterSeq, policy, now),

    async publish(channel, message) {
      bus.emit(channel, message);
    },

    async subscribe(channel, handler) {
      // Each handler is isolated, so one that throws cannot starve the others or fail the publisher.
      const listener = (message: string) => {
        try {
          handler(message);
        } catch (error) {
          options.onHandlerError?.(error, channel);
        }
      };
      bus.on(channel, listener);
      return async () => {
        bus.off(channel, listener);
      };
    },
  };
  sizers.set(plane, () => {
    sweep();
    const n = { counters: counters.size, windows: windows.size, times: times.size, slots: slots.size, locks: locks.size, remembered: remembered.size, logs: logs.size };
    return Object.assign({}, n, { total: Object.values(n).reduce((a, b) => a + b, 0) });
  });
  return plane;
}
