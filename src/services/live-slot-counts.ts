import type { Plane } from '../plane/plane.js';

/** Slot keys per plane round trip: many agents stay a few round trips, each of bounded size. */
const KEYS_PER_READ = 1000;

/**
 * Live calls held in each slot key now, in the keys' order: the very counts routing
 * compares with the caps. Read in bounded chunks, one plane round trip each.
 */
export async function readLiveSlots(plane: Plane, keys: readonly string[], now: number): Promise<number[]> {
  if (keys.length <= KEYS_PER_READ) return plane.slotCounts(keys, now);
  const out: number[] = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_READ) out.push(...(await plane.slotCounts(keys.slice(i, i + KEYS_PER_READ), now)));
  return out;
}
