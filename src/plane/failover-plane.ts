import { createDualSubscriptions } from './dual-subscriptions.js';
import { createInstanceCensus } from './instance-census.js';
import { createMemoryPlane } from './memory-plane.js';
import { addMerges, createOutageJournal, noMerges, type MergeCounts, type OutageJournal } from './outage-journal.js';
import type { FirstClaim, Plane } from './plane.js';
import { outageSlotCap } from './plane-policy.js';

export interface RecoveryReport {
  /** From the first failure to the moment Redis served again. */
  downMs: number;
  /** Of which merging and the `beforeResuming` work, once Redis answered. */
  mergeMs: number;
  merged: MergeCounts;
}

export interface FailoverPlaneOptions {
  /** False when Redis certainly cannot answer now (the client is not connected): no command is tried then. */
  isConnected(): boolean;
  /** Tells an unreachable Redis (fail over) from a command Redis refused (a bug: thrown to the caller). */
  isUnavailable(err: unknown): boolean;
  /** How often, while failed over, whether Redis is back is checked. */
  probeEveryMs?: number;
  /** How often this instance counts itself and the others serving (for each one's share of a cap). */
  censusEveryMs?: number;
  /** How long work registered with `beforeResuming` may take before Redis is used again regardless. */
  resumeWorkMs?: number;
  onHandlerError?: (error: unknown, channel: string) => void;
  onFailover?: (cause: unknown) => void;
  onRecovered?: (report: RecoveryReport) => void;
  /** A merge into Redis that failed (it is tried again at the next probe), or a subscription not renewed yet. */
  onMergeError?: (err: unknown) => void;
}

/**
 * Merge rounds before Redis is used again: each merges what arrived during the one before,
 * until a round leaves nothing (then Redis takes over in the same turn of the event loop, so
 * no operation falls between) or, under a load that never lets it, the last one's rest follows.
 */
const MERGE_ROUNDS = 20;

/**
 * The scaled plane that keeps serving when Redis does not: a circuit breaker in front
 * of the Redis plane. While Redis answers, every operation goes to it. At the first
 * sign that it cannot (the client is disconnected, or a command fails for want of a
 * connection) the breaker opens and this instance carries on from a memory plane of its
 * own: rotation per instance; live-call slots capped at this instance's share of the
 * room each agent had when last read from Redis (`outageSlotCap`); idempotency answers,
 * locks and pub/sub within the instance. No request waits on Redis while it is open.
 *
 * Every `probeEveryMs` a ping checks whether Redis is back. Then what the instance did
 * meanwhile (its journal) is merged into Redis, the `beforeResuming` work runs against
 * Redis (the live-state keeper rebuilds the slots from the records, since a restarted
 * Redis may have lost them), the breaker closes, and `onDegradedChange` listeners hear.
 */
export function createFailoverPlane(shared: Plane, options: FailoverPlaneOptions): Plane {
  const handlerErrors = options.onHandlerError ? { onHandlerError: options.onHandlerError } : {};
  const bus = createMemoryPlane(handlerErrors);
  const listeners = new Set<(degraded: boolean) => void>();
  const resumeWork = new Set<(shared: Plane) => Promise<void>>();
  /** Live slots last read from Redis per key: the room an outage share is cut from. */
  const lastSeen = new Map<string, number>();
  let local: Plane | null = null;
  /**
   * The outage's memory plane while its last entries are merged, after Redis is in use
   * again: answers remembered there are still given, and releases reach it too, so a
   * call that ends in that moment is not merged into Redis as live.
   */
  let draining: Plane | null = null;
  let journal: OutageJournal = createOutageJournal();
  let downSince = 0;
  let probeTimer: NodeJS.Timeout | undefined;
  let probing = false;
  let closed = false;
  const usable = () => !local && options.isConnected();
  const subscriptions = createDualSubscriptions({
    shared,
    bus,
    canSubscribe: usable,
    isUnavailable: options.isUnavailable,
    onUnavailable: (err) => failOver(err),
    ...(options.onMergeError ? { onRenewError: options.onMergeError } : {}),
  });
  const census = createInstanceCensus(shared, usable, options.censusEveryMs ?? 5000, () => subscriptions.renewPending());

  function notify(degraded: boolean): void {
    for (const listener of [...listeners]) {
      try {
        listener(degraded);
      } catch (err) {
        options.onHandlerError?.(err, 'plane.degraded');
      }
    }
  }

  function failOver(cause: unknown): Plane {
    if (local) return local;
    const fresh = createMemoryPlane(handlerErrors);
    local = fresh;
    journal = createOutageJournal();
    downSince = Date.now();
    probeTimer = setInterval(() => void probe(), options.probeEveryMs ?? 250);
    probeTimer.unref();
    options.onFailover?.(cause);
    notify(true);
    return fresh;
  }

  /**
   * Runs an operation on Redis, or on this instance's memory while Redis cannot answer.
   * `onLocal` notes the operation in the journal and starts it on the memory plane in
   * one synchronous step (see OutageJournal).
   */
  function run<T>(onShared: () => Promise<T>, onLocal: (plane: Plane, journal: OutageJournal) => Promise<T>): Promise<T> {
    if (local) return onLocal(local, journal);
    if (!options.isConnected()) return onLocal(failOver(new Error('Redis is not connected')), journal);
    return onShared().catch((err: unknown) => {
      if (!options.isUnavailable(err)) throw err;
      const fallback = failOver(err);
      return onLocal(fallback, journal);
    });
  }

  function noteSeen(keys: readonly string[], counts: readonly number[]): void {
    keys.forEach((key, i) => lastSeen.set(key, counts[i] ?? 0));
  }
  const withSeen = (keys: readonly string[], counts: readonly number[]) => counts.map((c, i) => c + (lastSeen.get(keys[i]!) ?? 0));

  // While the outage's last entries are merged, a value remembered during it wins over Redis (which may not have it yet).
  async function rememberWhileDraining(previous: Plane, key: string, value: string, ttlMs: number): Promise<{ first: boolean; value: string }> {
    const kept = await previous.recall(key);
    return kept === null ? shared.rememberFirst(key, value, ttlMs) : { first: false, value: kept };
  }
  async function claimWhileDraining(previous: Plane, key: string, value: string, ttlMs: number, counterKey: string): Promise<FirstClaim> {
    const kept = await previous.recall(key);
    return kept === null ? shared.rememberFirstAndPeek(key, value, ttlMs, counterKey) : { first: false, value: kept, counter: await shared.peekCounter(counterKey) };
  }
  async function recallWhileDraining(previous: Plane, key: string): Promise<string | null> {
    return (await previous.recall(key)) ?? shared.recall(key);
  }

  async function runResumeWork(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.resumeWorkMs ?? 10_000);
    });
    const work = Promise.all([...resumeWork].map((w) => w(shared).catch((err: unknown) => options.onMergeError?.(err))));
    await Promise.race([work, limit]);
    clearTimeout(timer);
  }

  async function recover(previous: Plane): Promise<void> {
    const merged = noMerges();
    const mergeStart = Date.now();
    // What the outage left, then what arrived while merging it, while Redis is still not in use.
    const mergeRound = async () => {
      const batch = journal;
      journal = createOutageJournal();
      try {
        addMerges(merged, await batch.replayOnto(shared, previous));
      } catch (err) {
        batch.absorb(journal);
        journal = batch;
        throw err;
      }
    };
    await mergeRound();
    await runResumeWork();
    // The check and the switch below run in the same turn as the last round's end: nothing slips between.
    for (let round = 0; round < MERGE_ROUNDS && journal.size > 0; round++) await mergeRound();
    const rest = journal;
    // Redis again from here on; the few entries left follow at once.
    local = null;
    draining = previous;
    journal = createOutageJournal();
    clearInterval(probeTimer);
    await subscriptions.renewPending();
    try {
      addMerges(merged, await rest.replayOnto(shared, previous));
    } catch (err) {
      options.onMergeError?.(err);
    }
    draining = null;
    await previous.close();
    // Redis may have gone again meanwhile: then the new outage has been announced instead.
    if (local) return;
    notify(false);
    options.onRecovered?.({ downMs: Date.now() - downSince, mergeMs: Date.now() - mergeStart, merged });
  }

  async function probe(): Promise<void> {
    if (probing || closed || !local || !options.isConnected()) return;
    probing = true;
    try {
      await shared.ping();
      await recover(local);
    } catch (err) {
      if (options.isConnected()) options.onMergeError?.(err);
    } finally {
      probing = false;
    }
  }

  return {
    kind: 'redis',
    get degraded() {
      return local !== null;
    },
    onDegradedChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    beforeResuming(work) {
      resumeWork.add(work);
      return () => void resumeWork.delete(work);
    },
    async ping() {
      if (!options.isConnected()) throw new Error('Redis is not connected');
      return shared.ping();
    },
    async close() {
      closed = true;
      clearInterval(probeTimer);
      await census.stop();
      await shared.close();
      await bus.close();
      await local?.close();
    },

    incr: (key) => run(() => shared.incr(key), (l, j) => (j.incremented(key), l.incr(key))),
    peekCounter: (key) => run(() => shared.peekCounter(key), (l) => l.peekCounter(key)),
    resetCounter: (key) => run(() => shared.resetCounter(key), (l, j) => (j.reset(key), l.resetCounter(key))),

    windowAdd: (key, at, bucketMs, retainMs) =>
      run(() => shared.windowAdd(key, at, bucketMs, retainMs), (l, j) => (j.windowAdded(key, at, bucketMs, retainMs), l.windowAdd(key, at, bucketMs, retainMs))),
    windowCounts: (keys, from, to, bucketMs) => run(() => shared.windowCounts(keys, from, to, bucketMs), (l) => l.windowCounts(keys, from, to, bucketMs)),

    setTime: (key, at, retainMs) => run(() => shared.setTime(key, at, retainMs), (l, j) => (j.timeSet(key, at, retainMs), l.setTime(key, at, retainMs))),
    getTimes: (keys) => run(() => shared.getTimes(keys), (l) => l.getTimes(keys)),

    acquireSlot: (key, member, cap, expiresAt, now) =>
      run(
        async () => {
          const held = await shared.acquireSlot(key, member, cap, expiresAt, now);
          // Counted until the next read replaces it: an outage starting now must not miss this call.
          if (held) lastSeen.set(key, (lastSeen.get(key) ?? 0) + 1);
          return held;
        },
        // The local set holds only this instance's outage calls, so it is held to this instance's share.
        (l, j) => (j.slotTried(key, member, expiresAt, now), l.acquireSlot(key, member, outageSlotCap(cap, lastSeen.get(key) ?? 0, census.count), expiresAt, now)),
      ),
    acquireSlots: (claims, expiresAt, now) =>
      run(
        async () => {
          const refused = await shared.acquireSlots(claims, expiresAt, now);
          if (refused < 0) for (const c of claims) lastSeen.set(c.key, (lastSeen.get(c.key) ?? 0) + 1);
          return refused;
        },
        (l, j) => {
          for (const c of claims) j.slotTried(c.key, c.member, expiresAt, now);
          const shares = claims.map((c) => Object.assign({}, c, { cap: outageSlotCap(c.cap, lastSeen.get(c.key) ?? 0, census.count) }));
          return l.acquireSlots(shares, expiresAt, now);
        },
      ),
    releaseSlot: (key, member) =>
      run(
        async () => {
          void draining?.releaseSlot(key, member);
          const held = await shared.releaseSlot(key, member);
          if (held) lastSeen.set(key, Math.max(0, (lastSeen.get(key) ?? 0) - 1));
          return held;
        },
        async (l, j) => {
          const first = j.slotReleased(key, member);
          const held = await l.releaseSlot(key, member);
          // A call from before the outage ended: its room comes back, shared as the rest was.
          if (!held && first) lastSeen.set(key, Math.max(0, (lastSeen.get(key) ?? 0) - 1));
          return held;
        },
      ),
    slotCounts: (keys, now) =>
      run(
        async () => {
          const counts = await shared.slotCounts(keys, now);
          noteSeen(keys, counts);
          return counts;
        },
        async (l) => withSeen(keys, await l.slotCounts(keys, now)),
      ),
    rotationSnapshot: (counterKey, advance, slotKeys, timeKeys, now) =>
      run(
        async () => {
          const snap = await shared.rotationSnapshot(counterKey, advance, slotKeys, timeKeys, now);
          noteSeen(slotKeys, snap.slots);
          return snap;
        },
        async (l, j) => {
          if (advance) j.incremented(counterKey);
          const snap = await l.rotationSnapshot(counterKey, advance, slotKeys, timeKeys, now);
          return Object.assign({}, snap, { slots: withSeen(slotKeys, snap.slots) });
        },
      ),
    slotMembers: (key, now) => run(() => shared.slotMembers(key, now), (l) => l.slotMembers(key, now)),

    tryLock: (key, ttlMs) => run(() => shared.tryLock(key, ttlMs), (l) => l.tryLock(key, ttlMs)),
    unlock: (key, token) => run(() => shared.unlock(key, token), (l) => l.unlock(key, token)),

    rememberFirst: (key, value, ttlMs) =>
      run(
        () => (draining ? rememberWhileDraining(draining, key, value, ttlMs) : shared.rememberFirst(key, value, ttlMs)),
        (l, j) => (j.rememberTried(key, ttlMs), l.rememberFirst(key, value, ttlMs)),
      ),
    rememberFirstAndPeek: (key, value, ttlMs, counterKey) =>
      run(
        () => (draining ? claimWhileDraining(draining, key, value, ttlMs, counterKey) : shared.rememberFirstAndPeek(key, value, ttlMs, counterKey)),
        (l, j) => (j.rememberTried(key, ttlMs), l.rememberFirstAndPeek(key, value, ttlMs, counterKey)),
      ),
    recall: (key) => run(() => (draining ? recallWhileDraining(draining, key) : shared.recall(key)), (l) => l.recall(key)),
    forget: (key) => run(() => shared.forget(key), (l, j) => (j.forgotten(key), l.forget(key))),

    appendToLog: (key, channel, entries, policy, now) =>
      run(
        () => shared.appendToLog(key, channel, entries, policy, now),
        async (l) => {
          // Numbered in this instance's own log (from `now`, above Redis's numbers); heard by this instance's subscribers.
          const seqs = await l.appendToLog(key, channel, entries, policy, now);
          // Not awaited one by one: the bus emits at once, so concurrent appends are heard in number order.
          await Promise.all(seqs.map((seq, i) => bus.publish(channel, `${seq} ${entries[i]}`)));
          return seqs;
        },
      ),
    readLog: (key, afterSeq, policy, now) => run(() => shared.readLog(key, afterSeq, policy, now), (l) => l.readLog(key, afterSeq, policy, now)),

    publish: (channel, message) => run(() => shared.publish(channel, message), (_l, j) => (j.published(channel, message), bus.publish(channel, message))),
    subscribe: (channel, handler) => subscriptions.subscribe(channel, handler),
  };
}
