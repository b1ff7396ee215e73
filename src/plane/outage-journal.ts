import type { Plane } from './plane.js';

/** How much of each kind a journal merged into Redis. */
export interface MergeCounts {
  counters: number;
  windowEvents: number;
  times: number;
  slotsAdded: number;
  slotsReleased: number;
  remembered: number;
  published: number;
}

export const noMerges = (): MergeCounts => ({ counters: 0, windowEvents: 0, times: 0, slotsAdded: 0, slotsReleased: 0, remembered: 0, published: 0 });

export function addMerges(total: MergeCounts, more: MergeCounts): void {
  for (const k of Object.keys(total) as (keyof MergeCounts)[]) total[k] += more[k];
}

interface CounterChange {
  reset: boolean;
  delta: number;
}
interface WindowAdds {
  bucketMs: number;
  retainMs: number;
  /** bucket index → events. */
  buckets: Map<number, number>;
}
interface TimeSet {
  at: number;
  expiresAtReal: number;
}
/**
 * A slot this instance tried to take (the latest try), and whether it released one that
 * Redis may hold. Whether the member holds a slot in the end is read from the memory
 * plane when merging: it is the truth of what the tries became.
 */
interface SlotChange {
  tried: { expiresAt: number; at: number } | null;
  released: boolean;
}
/** A value remembered (its TTL; the value itself is read from the memory plane when merging), after a forget or not. */
interface Remembered {
  expiresAtReal: number | null;
  forgotten: boolean;
}

/*
 * Bounds, so a long outage cannot grow the journal (or the merge) without limit. Counters
 * are rotation pointers, config versions and failure counts: moving one by at most
 * MAX_INCREMENTS says what it must (it moved); idempotency answers are retried within
 * seconds, so the newest MAX_REMEMBERED suffice; messages are cache invalidations.
 */
const MAX_INCREMENTS = 1000;
const MAX_WINDOW_EVENTS = 100_000;
const MAX_REMEMBERED = 100_000;
const MAX_PUBLISHED = 1000;
/** Commands in flight at once while merging (ioredis pipelines each batch; a batch costs one wait on a busy event loop). */
const CHUNK = 2000;

async function inChunks(tasks: readonly (() => Promise<unknown>)[]): Promise<void> {
  for (let i = 0; i < tasks.length; i += CHUNK) await Promise.all(tasks.slice(i, i + CHUNK).map((task) => task()));
}

/** Each kind of entry a journal keeps, for walking it. */
interface JournalVisitor {
  counter(key: string, c: CounterChange): void;
  window(key: string, w: WindowAdds): void;
  time(key: string, t: TimeSet): void;
  slot(key: string, member: string, s: SlotChange): void;
  remembered(key: string, r: Remembered): void;
  published(channel: string, message: string): void;
}

/**
 * Every method is called synchronously with the memory-plane operation it notes (both
 * before any await), so an operation is in the journal exactly when its effect is in
 * the memory plane: a merge never misses one that raced with it.
 */
export interface OutageJournal {
  incremented(key: string): void;
  reset(key: string): void;
  windowAdded(key: string, at: number, bucketMs: number, retainMs: number): void;
  timeSet(key: string, at: number, retainMs: number): void;
  slotTried(key: string, member: string, expiresAt: number, at: number): void;
  /** False when this release was already noted (releasing twice is harmless). */
  slotReleased(key: string, member: string): boolean;
  rememberTried(key: string, ttlMs: number): void;
  forgotten(key: string): void;
  published(channel: string, message: string): void;
  /** Entries kept, to tell a large journal from a small one. */
  readonly size: number;
  /** Takes in a newer journal's entries on top of these (a merge that failed is kept for the next). */
  absorb(newer: OutageJournal): void;
  forEachEntry(visit: JournalVisitor): void;
  /**
   * Merges the journal into `shared`, reading from `local` (the memory plane it noted)
   * which slots are held and which values remembered. Slots, times and remembered
   * values are idempotent; a merge that fails half way and is repeated may move a
   * counter or a window twice.
   */
  replayOnto(shared: Plane, local: Plane): Promise<MergeCounts>;
}

/**
 * What this instance changed in its memory plane while Redis was unreachable, kept
 * compactly (per key, not per operation) so it can be merged into Redis when it is
 * back: counters moved by their increments, window events added, the latest times,
 * slots taken and released, answers remembered, messages published. Locks and event
 * logs are not kept: they only matter while they last.
 */
export function createOutageJournal(): OutageJournal {
  const counters = new Map<string, CounterChange>();
  const windows = new Map<string, WindowAdds>();
  const times = new Map<string, TimeSet>();
  const slots = new Map<string, Map<string, SlotChange>>();
  const remembered = new Map<string, Remembered>();
  let published: { channel: string; message: string }[] = [];

  function counter(key: string): CounterChange {
    let change = counters.get(key);
    if (!change) counters.set(key, (change = { reset: false, delta: 0 }));
    return change;
  }
  function slot(key: string, member: string): SlotChange {
    let set = slots.get(key);
    if (!set) slots.set(key, (set = new Map()));
    let change = set.get(member);
    if (!change) set.set(member, (change = { tried: null, released: false }));
    return change;
  }
  function remember(key: string, entry: Remembered): void {
    // Re-inserted so the Map's order stays oldest first, and the oldest go when it is full.
    remembered.delete(key);
    remembered.set(key, entry);
    if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
  }

  const journal: OutageJournal = {
    incremented(key: string): void {
      counter(key).delta += 1;
    },
    reset(key: string): void {
      counters.set(key, { reset: true, delta: 0 });
    },
    windowAdded(key: string, at: number, bucketMs: number, retainMs: number): void {
      let window = windows.get(key);
      if (!window) windows.set(key, (window = { bucketMs, retainMs, buckets: new Map() }));
      const index = Math.floor(at / bucketMs);
      window.buckets.set(index, (window.buckets.get(index) ?? 0) + 1);
    },
    timeSet(key: string, at: number, retainMs: number): void {
      times.set(key, { at, expiresAtReal: Date.now() + retainMs });
    },
    slotTried(key, member, expiresAt, at) {
      slot(key, member).tried = { expiresAt, at };
    },
    slotReleased(key, member) {
      const change = slot(key, member);
      if (change.released) return false;
      change.released = true;
      return true;
    },
    rememberTried(key, ttlMs) {
      remember(key, { expiresAtReal: Date.now() + ttlMs, forgotten: remembered.get(key)?.forgotten ?? false });
    },
    forgotten(key) {
      remember(key, { expiresAtReal: null, forgotten: true });
    },
    published(channel: string, message: string): void {
      published.push({ channel, message });
      if (published.length > MAX_PUBLISHED) published = published.slice(-MAX_PUBLISHED);
    },

    get size(): number {
      let n = counters.size + windows.size + times.size + remembered.size + published.length;
      for (const set of slots.values()) n += set.size;
      return n;
    },

    absorb(newer: OutageJournal): void {
      newer.forEachEntry({
        counter: (key, c) => {
          if (c.reset) counters.set(key, { ...c });
          else counter(key).delta += c.delta;
        },
        window: (key, w) => {
          for (const [index, n] of w.buckets) for (let i = 0; i < n; i++) journal.windowAdded(key, index * w.bucketMs, w.bucketMs, w.retainMs);
        },
        time: (key, t) => void times.set(key, t),
        slot: (key, member, s) => {
          const change = slot(key, member);
          change.tried = s.tried ?? change.tried;
          change.released ||= s.released;
        },
        remembered: (key, r) => remember(key, { expiresAtReal: r.expiresAtReal, forgotten: r.forgotten || (remembered.get(key)?.forgotten ?? false) }),
        published: (channel, message) => journal.published(channel, message),
      });
    },

    forEachEntry(visit) {
      for (const [key, c] of counters) visit.counter(key, c);
      for (const [key, w] of windows) visit.window(key, w);
      for (const [key, t] of times) visit.time(key, t);
      for (const [key, set] of slots) for (const [member, s] of set) visit.slot(key, member, s);
      for (const [key, r] of remembered) visit.remembered(key, r);
      for (const p of published) visit.published(p.channel, p.message);
    },

    async replayOnto(shared, local) {
      const counts = noMerges();
      const tasks: (() => Promise<unknown>)[] = [];
      const realNow = Date.now();
      let windowEvents = 0;
      // Each set's members read once (0: every member the memory plane still keeps), not once per entry.
      const held = new Map<string, Promise<Set<string>>>();
      const heldIn = (key: string) => {
        let members = held.get(key);
        if (!members) held.set(key, (members = local.slotMembers(key, 0).then((m) => new Set(m))));
        return members;
      };
      journal.forEachEntry({
        counter(key, c) {
          counts.counters += 1;
          tasks.push(async () => {
            if (c.reset) await shared.resetCounter(key);
            // Sent together (one pipeline), not one round trip after another.
            await Promise.all(Array.from({ length: Math.min(c.delta, MAX_INCREMENTS) }, () => shared.incr(key)));
          });
        },
        window(key, w) {
          for (const [index, n] of w.buckets) {
            for (let i = 0; i < n && windowEvents < MAX_WINDOW_EVENTS; i++, windowEvents++) tasks.push(() => shared.windowAdd(key, index * w.bucketMs, w.bucketMs, w.retainMs));
          }
        },
        time(key, t) {
          if (t.expiresAtReal <= realNow) return;
          counts.times += 1;
          tasks.push(() => shared.setTime(key, t.at, t.expiresAtReal - realNow));
        },
        slot(key, member, s) {
          tasks.push(async () => {
            const tried = s.tried;
            if (tried && (await heldIn(key)).has(member)) {
              counts.slotsAdded += 1;
              // No cap: the call holds its slot already; Redis only has to count it.
              await shared.acquireSlot(key, member, null, tried.expiresAt, tried.at);
            } else if (s.released) {
              counts.slotsReleased += 1;
              await shared.releaseSlot(key, member);
            }
          });
        },
        remembered(key, r) {
          tasks.push(async () => {
            if (r.forgotten) await shared.forget(key);
            const value = await local.recall(key);
            if (value === null || r.expiresAtReal === null || r.expiresAtReal <= realNow) return;
            counts.remembered += 1;
            await shared.rememberFirst(key, value, r.expiresAtReal - realNow);
          });
        },
        published() {
          // Sent after the state, in order, below.
        },
      });
      counts.windowEvents = windowEvents;
      await inChunks(tasks);
      // Issued in order on one connection, so they are heard in order.
      await Promise.all(published.map((p) => shared.publish(p.channel, p.message)));
      counts.published = published.length;
      return counts;
    },
  };
  return journal;
}
