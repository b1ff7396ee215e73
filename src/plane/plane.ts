/**
 * The execution plane: shared, fast, volatile state (counters, rotation pointers,
 * locks, idempotency keys, pub/sub). In embedded mode it lives in process memory;
 * in scaled mode in Redis, so every instance sees the same state. Chosen only at
 * the composition root; both implementations pass one contract suite.
 */
export interface Plane {
  readonly kind: 'memory' | 'redis';
  /** Round-trip latency in milliseconds; throws when the backing store is unreachable. */
  ping(): Promise<number>;
  close(): Promise<void>;
}
