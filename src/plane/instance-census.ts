import { randomUUID } from 'node:crypto';
import type { Plane } from './plane.js';

/** The instances serving, as slots of one set: each renews its own, a stopped one expires. */
const INSTANCES_KEY = 'plane:instances';

/**
 * How many instances share Redis, as last counted while it answered: each instance
 * renews a slot of its own every `everyMs` and counts the live ones. While Redis is
 * away, that count is what each instance's share of a cap is cut by.
 */
export function createInstanceCensus(shared: Plane, isConnected: () => boolean, everyMs: number, afterBeat: () => Promise<void>) {
  const instanceId = randomUUID();
  let instances = 1;
  let stopped = false;

  async function beat(): Promise<void> {
    if (stopped || !isConnected()) return;
    const now = Date.now();
    try {
      await shared.acquireSlot(INSTANCES_KEY, instanceId, null, now + 3 * everyMs, now);
      const [count] = await shared.slotCounts([INSTANCES_KEY], now);
      instances = Math.max(1, count ?? 1);
    } catch {
      // The next beat tries again; operations notice an outage by themselves.
    }
    await afterBeat();
  }
  void beat();
  const timer = setInterval(() => void beat(), everyMs);
  timer.unref();

  return {
    /** Instances serving when last counted (at least this one). */
    get count(): number {
      return instances;
    },
    /** Stops counting, and leaves the census when Redis can hear it. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      if (isConnected()) await shared.releaseSlot(INSTANCES_KEY, instanceId).catch(() => false);
    },
  };
}
