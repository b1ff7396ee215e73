import type { Eventually } from '../core/eventually.js';

/**
 * The execution plane: shared, fast, volatile state (counters, rotation pointers,
 * rolling windows, live-call slots, locks, idempotency keys, pub/sub). In embedded
 * mode it lives in process memory; in scaled mode in Redis, so every instance sees
 * the same state and no decision is fair only within one process. Chosen only at
 * the composition root; both implementations pass one contract suite
 * (test/plane/plane-contract.test.ts).
 *
 * Times are passed in (`now`, epoch ms) rather than read from a clock, so tests
 * can move time without sleeping. Keys are plain strings; the Redis implementation
 * prefixes them.
 */
/** How much of a sequenced log is kept: at most `maxEntries`, none older than `retainMs`. */
export interface LogPolicy {
  readonly maxEntries: number;
  readonly retainMs: number;
}

/** What `readLog` returns: the counter's span and the entries asked for, in order. */
export interface LogRead {
  readonly first: number;
  readonly last: number;
  readonly entries: readonly LogEntry[];
}

export interface LogEntry {
  readonly seq: number;
  readonly entry: string;
}

export interface RotationSnapshot {
  readonly counter: number;
  readonly slots: number[];
  readonly times: (number | null)[];
}

/** One slot of an `acquireSlots` claim: `member` in the set at `key`, refused when it holds `cap` (null: no limit). */
export interface SlotClaim {
  readonly key: string;
  readonly member: string;
  readonly cap: number | null;
}

/** What `rememberFirstAndPeek` answers: `rememberFirst`'s, and the counter read in the same step. */
export interface FirstClaim {
  readonly first: boolean;
  readonly value: string;
  readonly counter: number;
}

/**
 * The routing path's operations answered at once, by a plane in this process's memory: the
 * same semantics as the Plane methods of the same names, without a promise (and an await)
 * per operation.
 */
export interface ImmediatePlane {
  rememberFirst(key: string, value: string, ttlMs: number): { first: boolean; value: string };
  rememberFirstAndPeek(key: string, value: string, ttlMs: number, counterKey: string): FirstClaim;
  rotationSnapshot(counterKey: string, advance: boolean, slotKeys: readonly string[], timeKeys: readonly string[], now: number): RotationSnapshot;
  acquireSlot(key: string, member: string, cap: number | null, expiresAt: number, now: number): boolean;
  acquireSlots(claims: readonly SlotClaim[], expiresAt: number, now: number): number;
  slotCounts(keys: readonly string[], now: number): number[];
  incr(key: string): number;
  peekCounter(key: string): number;
  windowAdd(key: string, at: number, bucketMs: number, retainMs: number): void;
  windowCounts(keys: readonly string[], from: number, to: number, bucketMs: number): number[];
  setTime(key: string, at: number, retainMs: number): void;
  getTimes(keys: readonly string[]): (number | null)[];
  tryLock(key: string, ttlMs: number): string | null;
  unlock(key: string, token: string): boolean;
}

/**
 * The routing path's operations as either plane answers them: at once (the embedded plane's
 * `immediate`) or as a promise (`Plane` itself). A decision reads `plane.immediate ?? plane`
 * and carries on at once or later with the same code (see core/eventually.ts).
 */
export type RoutingPlane = { [K in keyof ImmediatePlane]: (...args: Parameters<ImmediatePlane[K]>) => Eventually<ReturnType<ImmediatePlane[K]>> };

/** The plane a decision's steps read: the embedded plane's immediate operations when it has them. */
export const routingPlane = (plane: Plane): RoutingPlane => plane.immediate ?? plane;

export interface Plane {
  readonly kind: 'memory' | 'redis';
  /**
   * Present on the embedded plane only: its hot-path operations without promises. A scaled
   * plane (even while it serves from memory in an outage, when operations are journalled)
   * has none, so callers fall back to the methods below.
   */
  readonly immediate?: ImmediatePlane;
  /**
   * True while a scaled plane serves from this process's memory because Redis is
   * unreachable (see failover-plane.ts): what is written then is this instance's
   * alone until Redis is back and it is merged. Always false for the embedded plane.
   */
  readonly degraded: boolean;
  /**
   * Hears each change of `degraded`: true when the plane fails over to memory, false
   * once Redis is back and what was kept meanwhile has been merged into it. Returns the
   * function that stops listening.
   */
  onDegradedChange(listener: (degraded: boolean) => void): () => void;
  /**
   * Registers work to run against Redis when it is back after an outage, after this
   * instance's own changes are merged into it and before it serves from it again (the
   * live-state keeper rebuilds live-call slots from the records there). Returns the
   * function that unregisters it. Planes that cannot fail over never run it.
   */
  beforeResuming(work: (shared: Plane) => Promise<void>): () => void;
  /** Round-trip latency in milliseconds; throws when the backing store is unreachable. */
  ping(): Promise<number>;
  close(): Promise<void>;

  /** Atomically adds 1 and returns the new value (the first call returns 1). Rotation pointers use this. */
  incr(key: string): Promise<number>;
  /** The counter's current value without changing it (0 if never incremented): for previews that must not advance a rotation. */
  peekCounter(key: string): Promise<number>;
  /** Sets the counter back to 0 (e.g. consecutive failures after a success). */
  resetCounter(key: string): Promise<void>;

  /**
   * Rolling windows of event counts, kept in buckets of `bucketMs`.
   * `windowAdd` counts one event at `at`; entries may be forgotten after `retainMs`.
   */
  windowAdd(key: string, at: number, bucketMs: number, retainMs: number): Promise<void>;
  /** For each key, the events counted in buckets overlapping [from, to]. */
  windowCounts(keys: readonly string[], from: number, to: number, bucketMs: number): Promise<number[]>;

  /** Stores a timestamp (e.g. when an agent was last chosen). */
  setTime(key: string, at: number, retainMs: number): Promise<void>;
  /** The stored timestamps, null where none. */
  getTimes(keys: readonly string[]): Promise<(number | null)[]>;

  /**
   * Live concurrent-call slots. `acquireSlot` atomically adds `member` to the set at
   * `key` unless the set already holds `cap` live members (expired ones do not count
   * and are dropped); returns true when the member holds a slot afterwards (also when
   * it already held one). `expiresAt` is the backstop: a slot whose end event is lost
   * stops counting then. `cap` null means no limit.
   */
  acquireSlot(key: string, member: string, cap: number | null, expiresAt: number, now: number): Promise<boolean>;
  /**
   * Claims slots in several sets at once, all or none (an agent's own slot and its
   * provider pool's): each claim is judged as `acquireSlot` judges it, and the members
   * are added only when every set admits its own. Returns -1 when all are held
   * afterwards, else the index of the first claim refused (nothing is added then).
   */
  acquireSlots(claims: readonly SlotClaim[], expiresAt: number, now: number): Promise<number>;
  /** Releases a slot; true when the member held one. Releasing twice is harmless. */
  releaseSlot(key: string, member: string): Promise<boolean>;
  /** Live (unexpired at `now`) slot counts for each key. */
  slotCounts(keys: readonly string[], now: number): Promise<number[]>;
  /**
   * A rotation decision's reads in one step (one round trip in Redis): the counter
   * at `counterKey` advanced by one (`advance`) or only read, the live slot counts
   * of `slotKeys` at `now`, and the timestamps at `timeKeys` (null where none).
   */
  rotationSnapshot(counterKey: string, advance: boolean, slotKeys: readonly string[], timeKeys: readonly string[], now: number): Promise<RotationSnapshot>;
  /** The live members of one slot set, for listing active calls. */
  slotMembers(key: string, now: number): Promise<string[]>;

  /**
   * A lock with an owner token: returns the token when acquired, null when another
   * owner holds it. The lock frees itself after `ttlMs`.
   */
  tryLock(key: string, ttlMs: number): Promise<string | null>;
  /** Releases the lock only if `token` still owns it; true when released. */
  unlock(key: string, token: string): Promise<boolean>;

  /**
   * Idempotency: stores `value` under `key` unless a value is already there, and
   * returns the value that is stored afterwards (the first writer's), with `first`
   * telling whether this call stored it.
   */
  rememberFirst(key: string, value: string, ttlMs: number): Promise<{ first: boolean; value: string }>;
  /**
   * `rememberFirst` and `peekCounter(counterKey)` in one atomic step (one round trip in
   * Redis): a routing request's claim and its tenant's configuration version, both read
   * after the request arrived.
   */
  rememberFirstAndPeek(key: string, value: string, ttlMs: number, counterKey: string): Promise<FirstClaim>;
  /** Reads a remembered value, or null. */
  recall(key: string): Promise<string | null>;
  /** Forgets a remembered value (used to release a claim whose work failed). */
  forget(key: string): Promise<void>;

  /**
   * Sequenced event logs (real-time replay). Appends `entries` in order: each gets the
   * log's next sequence number, is stored under it, and is published on `channel` as
   * `${seq} ${entry}`; numbering, storing and publishing are one atomic step, so every
   * subscriber on every instance hears a log's entries in sequence order. Then only the
   * newest `policy.maxEntries` entries are kept. A log with no counter yet (new, or
   * forgotten after LOG_COUNTER_TTL_MS of silence) numbers from `now`, not 1, so numbers
   * keep growing across a restart of the memory plane or a loss of Redis data.
   * Returns the sequence numbers given.
   */
  appendToLog(key: string, channel: string, entries: readonly string[], policy: LogPolicy, now: number): Promise<number[]>;
  /**
   * The log's counter (`first` number of its current numbering, `last` number given; both
   * 0 when it has none) and its kept entries numbered above `afterSeq`, oldest first,
   * leaving out those appended `policy.retainMs` or longer before `now`.
   */
  readLog(key: string, afterSeq: number, policy: LogPolicy, now: number): Promise<LogRead>;

  /** Publishes to every subscriber of `channel` on every instance. */
  publish(channel: string, message: string): Promise<void>;
  /** Subscribes; the returned function unsubscribes. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
}
