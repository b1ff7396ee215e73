import type { Principal } from '../../core/principal.js';
import { realtimeCloseCodes, realtimeMetrics, revokedTokens, type RevokedTokens } from '../../core/schemas/realtime.js';
import type { Plane } from '../../plane/plane.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { createConnection, type Connection, type FlowLimits, type RealtimeSocket } from './connection.js';
import type { EventLog } from './event-log.js';
import type { RealtimeFrame } from './frames.js';
import type { MetricsTicker } from './metrics-ticker.js';
import { createTenantFeed, type TenantFeed } from './tenant-feed.js';

interface Deps {
  plane: Plane;
  log: EventLog;
  metrics: MetricsTicker;
  clock: Clock;
  logger: Logger;
  limits: FlowLimits;
  /** A feed opened for a tenant this instance had none of. */
  onFeedOpened?: (tenantId: number) => void;
}

/** Revocations are announced here; every instance closes the matching sockets. */
const REVOKED_CHANNEL = 'realtime.tokens-revoked';
/** How often lagging sockets are looked at. */
const FLOW_CHECK_MS = 250;
/** A feed left without sockets stays subscribed this long, so a page reload does not resubscribe. */
const FEED_LINGER_MS = 5000;

export interface Attached {
  connection: Connection;
  replayed: number;
  resync: boolean;
}

/**
 * This instance's open dashboards: one feed per tenant with sockets here, the
 * connections, revocations heard from every instance, and flow control.
 */
export function createRealtimeHub({ plane, log, metrics, clock, logger, limits, onFeedOpened = () => {} }: Deps) {
  const feeds = new Map<number, Promise<TenantFeed>>();
  const lingering = new Map<number, NodeJS.Timeout>();
  const connections = new Set<Connection>();
  let unsubscribeRevoked: (() => Promise<void>) | undefined;
  let flowTimer: NodeJS.Timeout | undefined;

  function onFrame(tenantId: number, frame: RealtimeFrame): void {
    if (frame.event.startsWith('call.')) metrics.heardCall(tenantId, frame.seq);
    else if (frame.event === 'metrics.updated') {
      try {
        const parsed = realtimeMetrics.pick({ through_id: true }).safeParse((JSON.parse(frame.text) as { data?: unknown }).data);
        if (parsed.success) metrics.heardMetrics(tenantId, parsed.data.through_id);
      } catch {
        // Not ours to fix here: the frame still went out as it came.
      }
    }
  }

  function feedFor(tenantId: number): Promise<TenantFeed> {
    const linger = lingering.get(tenantId);
    if (linger) {
      clearTimeout(linger);
      lingering.delete(tenantId);
    }
    let feed = feeds.get(tenantId);
    if (!feed) {
      const created = createTenantFeed(tenantId, log, logger, (frame) => onFrame(tenantId, frame));
      feed = created.start().then(() => created);
      feeds.set(tenantId, feed);
      onFeedOpened(tenantId);
      // A feed that could not start must not stay cached: the next socket tries again.
      feed.catch(() => feeds.delete(tenantId));
    }
    return feed;
  }

  function release(feed: TenantFeed): void {
    if (feed.members.size > 0 || lingering.has(feed.tenantId)) return;
    const timer = setTimeout(() => {
      lingering.delete(feed.tenantId);
      if (feed.members.size > 0) return;
      feeds.delete(feed.tenantId);
      feed.stop().catch((err: unknown) => logger.warn({ err, tenantId: feed.tenantId }, 'could not unsubscribe a real-time feed'));
    }, FEED_LINGER_MS);
    timer.unref();
    lingering.set(feed.tenantId, timer);
  }

  function closeMatching(revoked: RevokedTokens): void {
    for (const c of connections) {
      const p = c.principal;
      if (p.tenantId !== revoked.tenantId) continue;
      if ('tokenId' in revoked ? p.tokenId === revoked.tokenId : p.userId === revoked.userId) {
        c.close(realtimeCloseCodes.unauthenticated, 'token revoked: sign in again');
      }
    }
  }

  function detach(connection: Connection): void {
    if (!connections.delete(connection)) return;
    void feeds.get(connection.principal.tenantId)?.then(
      (feed) => {
        feed.members.delete(connection.member);
        release(feed);
      },
      () => undefined,
    );
  }

  return {
    /**
     * Joins a socket to its tenant's feed. With `lastId`, it first gets what it missed
     * since then (or a resync); without, it starts live. Resolves once it is live;
     * `detach` must be called when the socket closes.
     */
    async attach(principal: Principal, socket: RealtimeSocket, lastId: number | undefined): Promise<Attached> {
      const feed = await feedFor(principal.tenantId);
      const connection = createConnection(principal, socket, limits, clock);
      connections.add(connection);
      if (lastId === undefined) {
        connection.startAt(feed.lastId);
        feed.members.add(connection.member);
        return { connection, replayed: 0, resync: false };
      }
      connection.beginCatchUp(lastId);
      feed.members.add(connection.member);
      try {
        const read = await log.read(principal.tenantId, lastId);
        return { connection, ...connection.finishCatchUp(lastId, read) };
      } catch (err) {
        detach(connection);
        throw err;
      }
    },

    detach,

    /** Announces revoked tokens to every instance (fire and forget: the tokens are already gone). */
    revoke(revoked: RevokedTokens): void {
      plane.publish(REVOKED_CHANNEL, JSON.stringify(revoked)).catch((err: unknown) => {
        logger.warn({ err }, 'could not announce revoked tokens; their sockets close at the next token check');
        closeMatching(revoked);
      });
    },

    /** The plane's log numbering changed (Redis away, or back): every feed here carries on from the new one. */
    renumber(): void {
      for (const feed of feeds.values()) void feed.then((f) => f.renumber(), () => undefined);
    },

    /** Whether this instance has a feed of the tenant (sockets open, or lingering after the last closed). */
    watching: (tenantId: number): boolean => feeds.has(tenantId),
    /** The tenants this instance has feeds of. */
    watched: (): Iterable<number> => feeds.keys(),

    /** Open sockets on this instance. */
    get size(): number {
      return connections.size;
    },

    async start(): Promise<void> {
      unsubscribeRevoked = await plane.subscribe(REVOKED_CHANNEL, (message) => {
        let parsed;
        try {
          parsed = revokedTokens.safeParse(JSON.parse(message));
        } catch {
          return;
        }
        if (parsed.success) closeMatching(parsed.data);
      });
      flowTimer = setInterval(() => {
        for (const c of connections) if (c.lagging) c.checkFlow();
      }, FLOW_CHECK_MS);
      flowTimer.unref();
    },

    /** Closes every socket (1012: the server restarts, reconnect elsewhere) and every subscription. */
    async stop(): Promise<void> {
      clearInterval(flowTimer);
      for (const c of connections) c.close(realtimeCloseCodes.restarting, 'server restarting: reconnect');
      connections.clear();
      for (const timer of lingering.values()) clearTimeout(timer);
      lingering.clear();
      const open = [...feeds.values()];
      feeds.clear();
      await Promise.all(open.map((f) => f.then((feed) => feed.stop()).catch(() => undefined)));
      await unsubscribeRevoked?.().catch(() => undefined);
    },
  };
}
export type RealtimeHub = ReturnType<typeof createRealtimeHub>;
