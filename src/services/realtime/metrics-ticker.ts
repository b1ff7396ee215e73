import type { CallStatsView } from '../../core/schemas/call-records.js';
import type { RealtimeEventData } from '../../core/schemas/realtime.js';
import type { Plane } from '../../plane/plane.js';
import type { Logger } from '../logger.js';
import { planeKeys } from '../plane-keys.js';

interface Deps {
  plane: Plane;
  logger: Logger;
  /** Today's numbers and live calls, as GET /api/calls/stats computes them. */
  stats(tenantId: number): Promise<CallStatsView>;
  raise(tenantId: number, data: RealtimeEventData<'metrics.updated'>): void;
}

/** metrics.updated goes out at most this often per tenant, across all instances. */
export const METRICS_EVERY_MS = 1000;
/**
 * A call event this recent may not be in the daily roll-ups yet (they follow calls
 * within half a second, see analytics/rollups.ts): a snapshot taken sooner does not
 * claim to include it, and another follows.
 */
const SETTLE_MS = 750;

interface Dirty {
  /** The highest call event id heard and not yet covered by a metrics.updated. */
  upTo: number;
  lastHeardAt: number;
  timer: NodeJS.Timeout | null;
}

/**
 * metrics.updated, at most once a second per tenant, computed only where someone
 * watches: instances hear call events through their tenant feeds, and only instances
 * with a dashboard of the tenant open have one. Whoever takes the tenant's turn (a plane
 * lock held for a second, never released early) computes; the others see its
 * metrics.updated and drop their own plans when its `through_id` covers what they heard.
 */
export function createMetricsTicker({ plane, logger, stats, raise }: Deps) {
  const dirty = new Map<number, Dirty>();
  let stopped = false;

  function schedule(tenantId: number, entry: Dirty, delayMs: number): void {
    if (entry.timer || stopped) return;
    entry.timer = setTimeout(() => void run(tenantId, entry), delayMs);
    entry.timer.unref();
  }

  async function run(tenantId: number, entry: Dirty): Promise<void> {
    entry.timer = null;
    if (dirty.get(tenantId) !== entry) return;
    try {
      if (!(await plane.tryLock(planeKeys.realtimeMetricsTurn(tenantId), METRICS_EVERY_MS))) {
        schedule(tenantId, entry, METRICS_EVERY_MS);
        return;
      }
      const settled = Date.now() - entry.lastHeardAt >= SETTLE_MS;
      const through = entry.upTo;
      if (settled) dirty.delete(tenantId);
      else schedule(tenantId, entry, METRICS_EVERY_MS);
      raise(tenantId, Object.assign({}, await stats(tenantId), { through_id: settled ? through : null }));
    } catch (err) {
      logger.warn({ err, tenantId }, 'could not compute real-time metrics; trying again');
      schedule(tenantId, entry, METRICS_EVERY_MS);
    }
  }

  return {
    /** A call event reached this instance's dashboards of the tenant. */
    heardCall(tenantId: number, id: number): void {
      const entry = dirty.get(tenantId) ?? { upTo: 0, lastHeardAt: 0, timer: null };
      entry.upTo = Math.max(entry.upTo, id);
      entry.lastHeardAt = Date.now();
      dirty.set(tenantId, entry);
      schedule(tenantId, entry, SETTLE_MS);
    },

    /** Some instance sent metrics including every call event up to `throughId`. */
    heardMetrics(tenantId: number, throughId: number | null): void {
      const entry = dirty.get(tenantId);
      if (!entry || throughId === null || throughId < entry.upTo) return;
      if (entry.timer) clearTimeout(entry.timer);
      dirty.delete(tenantId);
    },

    stop(): void {
      stopped = true;
      for (const entry of dirty.values()) if (entry.timer) clearTimeout(entry.timer);
      dirty.clear();
    },
  };
}
export type MetricsTicker = ReturnType<typeof createMetricsTicker>;
