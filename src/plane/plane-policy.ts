/**
 * Housekeeping policy shared by both planes, so the memory and Redis
 * implementations forget things at the same moments.
 */

/**
 * How long a slot set outlives its latest expiry. The set's own TTL is only a
 * backstop for sets nobody touches again; the margin keeps a set from vanishing
 * while a slow caller is still about to refresh it.
 */
export const SLOT_KEY_MARGIN_MS = 60_000;

/** The number of buckets a window must keep to answer for the last `retainMs`. */
export function retainedBuckets(bucketMs: number, retainMs: number): number {
  return Math.ceil(retainMs / bucketMs) + 1;
}

/**
 * A window holding more buckets than this drops its old ones. Pruning only when it
 * holds about twice what it needs keeps the cost amortized O(1) per event instead
 * of a scan on every add.
 */
export function windowPruneAbove(keep: number): number {
  return 2 * keep + 4;
}

/**
 * How long a sequenced log's counter outlives its last append. Its entries go much
 * sooner (their own `retainMs`); the counter stays so numbers keep growing, and when it
 * is finally forgotten the log numbers from the current time, still above old numbers.
 */
export const LOG_COUNTER_TTL_MS = 30 * 86_400_000;
