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

/**
 * While Redis is unreachable, how many live calls one instance may hold on a slot set
 * of its own accord: an equal share of the room the set had when this instance last
 * read it from Redis (`lastSeen` live members), among the `instances` that were
 * serving. The shares add up to no more than the room, so together the instances stay
 * within `cap` however the calls spread; a share below one call is none. Null: no cap.
 */
export function outageSlotCap(cap: number | null, lastSeen: number, instances: number): number | null {
  if (cap === null) return null;
  return Math.floor(Math.max(0, cap - lastSeen) / Math.max(1, Math.floor(instances)));
}
