import type { RealtimeConfig } from '../../core/config.js';
import type { CallStatsView } from '../../core/schemas/call-records.js';
import type { RealtimeRuleChange, RevokedTokens } from '../../core/schemas/realtime.js';
import type { Plane } from '../../plane/plane.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { CallWrite } from '../routing/call-recorder.js';
import { callEventsOf } from './call-events.js';
import { defaultFlowLimits, type FlowLimits } from './connection.js';
import { createEventLog } from './event-log.js';
import { createMetricsTicker } from './metrics-ticker.js';
import { createRealtimeHub } from './realtime-hub.js';
import { createWatchers } from './watchers.js';

interface Deps {
  config: RealtimeConfig;
  plane: Plane;
  clock: Clock;
  logger: Logger;
  stats(tenantId: number): Promise<CallStatsView>;
  limits?: FlowLimits;
}

/** The id of the entity a configuration write returned (its view), or null (a deletion returns nothing). */
function idOf(result: unknown): number | null {
  return typeof result === 'object' && result !== null && 'id' in result && typeof result.id === 'number' ? result.id : null;
}

/**
 * Real time for dashboards (GET /ws): what the rest of the services call to raise
 * events, and the hub the HTTP layer attaches sockets to. See event-log.ts for how
 * events are numbered and fanned out, realtime-hub.ts for the sockets.
 */
export function createRealtime({ config, plane, clock, logger, stats, limits = defaultFlowLimits }: Deps) {
  const log = createEventLog({ plane, clock, logger, policy: { maxEntries: config.replayEvents, retainMs: config.replaySeconds * 1000 } });
  const metrics = createMetricsTicker({ plane, logger, stats, raise: (tenantId, data) => log.raise(tenantId, 'metrics.updated', data) });
  /** Tenants whose call events this instance skipped since it last stored a gap for them. */
  const skipping = new Set<number>();
  let skipped = 0;
  const watchers = createWatchers({
    plane,
    logger,
    localTenants: () => hub.watched(),
    everyMs: config.watchAnnounceSeconds * 1000,
    // Events skipped here before the announcement arrived may be missing on that dashboard: it resyncs.
    onWatchedElsewhere: (tenantId) => {
      if (skipping.delete(tenantId)) log.raiseGap(tenantId);
    },
  });
  const hub = createRealtimeHub({
    plane,
    log,
    metrics,
    clock,
    logger,
    limits,
    // Skipped before the dashboard attached: it starts live, or replays across the gap stored when skipping began.
    onFeedOpened: (tenantId) => {
      skipping.delete(tenantId);
      watchers.opened(tenantId);
    },
  });
  let stopWatchingPlane: (() => void) | undefined;

  /**
   * Nobody can see the tenant's call events: they are not built. The first skipped one
   * stores a gap, so a dashboard that reconnects across it resyncs instead of believing
   * it missed nothing.
   */
  function skip(tenantId: number): void {
    skipped += 1;
    if (skipping.has(tenantId)) return;
    if (skipping.size >= 100_000) skipping.clear();
    skipping.add(tenantId);
    log.raiseGap(tenantId);
  }

  return {
    hub,
    log,
    /** For the call recorder: after every committed call write. */
    callWritten(write: CallWrite): void {
      if (!hub.watching(write.tenantId) && !watchers.elsewhere(write.tenantId)) return skip(write.tenantId);
      try {
        const { events, call } = callEventsOf(write);
        for (const event of events) log.raise(write.tenantId, event, call);
      } catch (err) {
        logger.warn({ err, tenantId: write.tenantId }, 'could not raise a real-time call event');
      }
    },
    agentChanged: (tenantId: number, result: unknown) => log.raise(tenantId, 'agent.updated', { id: idOf(result) }),
    /** Failures or short calls took an agent out of rotation (the reason says which), or a success brought it back. */
    agentHealthChanged: (tenantId: number, agentId: number, healthy: boolean, reason?: 'failures' | 'short_calls') =>
      log.raise(tenantId, 'agent.updated', { id: agentId, health_status: healthy ? 'healthy' : 'unhealthy', ...(!healthy && reason ? { unhealthy_reason: reason } : {}) }),
    groupChanged: (tenantId: number, result: unknown) => log.raise(tenantId, 'group.updated', { id: idOf(result) }),
    ruleChanged: (tenantId: number, change: RealtimeRuleChange) => log.raise(tenantId, 'rule.changed', change),
    tokensRevoked: (revoked: RevokedTokens) => hub.revoke(revoked),
    /** Call writes whose events were not built because no dashboard of their tenant was open anywhere. */
    get callWritesSkipped(): number {
      return skipped;
    },
    async start(): Promise<void> {
      // While Redis is away events are numbered in this instance's memory, and by Redis again once it is back.
      // Each numbering gets its own gaps: a tenant still skipped stores one again in the new one.
      stopWatchingPlane = plane.onDegradedChange(() => {
        skipping.clear();
        hub.renumber();
      });
      await watchers.start();
      await hub.start();
    },
    async stop(): Promise<void> {
      stopWatchingPlane?.();
      metrics.stop();
      await watchers.stop();
      await hub.stop();
      await log.settle();
    },
  };
}
export type Realtime = ReturnType<typeof createRealtime>;
