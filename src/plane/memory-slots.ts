import { SLOT_KEY_MARGIN_MS } from './plane-policy.js';

interface SlotSet {
  /** member → expiresAt, in the caller's `now` time. */
  members: Map<string, number>;
  /** Bounds of the members' expiries, so a lookup scans the members only when one may have expired. */
  earliest: number;
  latest: number;
  /** Real-time backstop mirroring the Redis key TTL, so the sweep can drop forgotten sets. */
  expiresAtReal: number;
}

/**
 * The memory plane's capacity slots: per key, a set of members each held until an expiry in
 * the caller's `now` time (a Redis ZSET scored by expiry on the Redis plane), with the key
 * itself forgotten in real time once its last member's slot is over.
 */
export function createMemorySlots() {
  const slots = new Map<string, SlotSet>();

  /** The set at `key` without the members that expired at `now`; none once it is empty or forgotten. */
  function live(key: string, now: number): SlotSet | undefined {
    const set = slots.get(key);
    if (!set) return undefined;
    if (set.expiresAtReal <= Date.now()) {
      slots.delete(key);
      return undefined;
    }
    if (set.earliest <= now) {
      let earliest = Infinity;
      for (const [member, expiresAt] of set.members) {
        if (expiresAt <= now) set.members.delete(member);
        else if (expiresAt < earliest) earliest = expiresAt;
      }
      set.earliest = earliest;
    }
    if (set.members.size === 0) {
      slots.delete(key);
      return undefined;
    }
    return set;
  }

  return {
    /** Whether `member` may hold a slot at `key`: it holds one already, or the set has room (acquireSlot's rule). */
    admits(key: string, member: string, cap: number | null, expiresAt: number, now: number): boolean {
      // A slot that is already over is not a slot held: refuse it as Redis does.
      if (expiresAt <= now) return false;
      const set = live(key, now);
      if (set?.members.has(member)) return true;
      return cap === null || (set?.members.size ?? 0) < cap;
    },

    /** Adds (or renews) `member`'s slot at `key`; the caller has checked `admits`. */
    take(key: string, member: string, expiresAt: number, now: number): void {
      const set = live(key, now) ?? { members: new Map<string, number>(), earliest: Infinity, latest: -Infinity, expiresAtReal: 0 };
      const previous = set.members.get(member);
      set.members.set(member, expiresAt);
      // A renewed member may have been the earliest: rescan then (rare), else keep the bound.
      if (previous !== undefined && previous <= set.earliest) {
        set.earliest = Infinity;
        for (const e of set.members.values()) if (e < set.earliest) set.earliest = e;
      } else set.earliest = Math.min(set.earliest, expiresAt);
      // `latest` only grows: it sizes the key's TTL, which must outlive every member, as Redis's does.
      set.latest = Math.max(set.latest, expiresAt);
      set.expiresAtReal = Date.now() + (set.latest - now) + SLOT_KEY_MARGIN_MS;
      slots.set(key, set);
    },

    /** Gives `member`'s slot back; whether it held one. */
    release(key: string, member: string): boolean {
      const set = slots.get(key);
      if (!set) return false;
      if (set.expiresAtReal <= Date.now()) {
        slots.delete(key);
        return false;
      }
      const held = set.members.delete(member);
      if (set.members.size === 0) slots.delete(key);
      return held;
    },

    count(key: string, now: number): number {
      return live(key, now)?.members.size ?? 0;
    },

    /** The members holding a slot at `now`, in the Redis ZSET's order: by expiry, then by member. */
    members(key: string, now: number): string[] {
      const set = live(key, now);
      if (!set) return [];
      return [...set.members].sort(([ma, ea], [mb, eb]) => ea - eb || (ma < mb ? -1 : ma > mb ? 1 : 0)).map(([member]) => member);
    },

    /** Drops the keys forgotten by real time `realNow`. */
    sweep(realNow: number): void {
      for (const [key, set] of slots) if (set.expiresAtReal <= realNow) slots.delete(key);
    },

    get size(): number {
      return slots.size;
    },
  };
}
