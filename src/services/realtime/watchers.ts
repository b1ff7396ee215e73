import { randomUUID } from 'node:crypto';
import type { Plane } from '../../plane/plane.js';
import type { Logger } from '../logger.js';

/** Instances announce the tenants they have dashboards of here (the same pub/sub as every cache's invalidations). */
const WATCHED_CHANNEL = 'realtime.watched';

interface Deps {
  plane: Plane;
  logger: Logger;
  /** Tenants with a feed on this instance (sockets open, or lingering after the last one closed). */
  localTenants(): Iterable<number>;
  /** A tenant another instance watches, which this one did not know to be watched until now. */
  onWatchedElsewhere(tenantId: number): void;
  /** How often an instance repeats what it watches; others forget a tenant after three silent periods. */
  everyMs: number;
}

/**
 * Which tenants have a dashboard open on some instance, so a call write builds its
 * frames only when someone can see them. Coherence is the rules cache's: a message on
 * the plane's pub/sub, bounded by a time to live. An instance with a tenant's feed
 * announces it when the feed opens and every `everyMs` after; the others take the
 * tenant as watched for three periods past the last announcement, and every tenant
 * as watched for two periods after they start (they have not heard a round yet), unless
 * the plane is the embedded one, which no other instance shares.
 * A write skipped because an announcement came late is not lost silently: see the
 * gap entries in event-log.ts.
 */
export function createWatchers({ plane, logger, localTenants, onWatchedElsewhere, everyMs }: Deps) {
  const instance = randomUUID();
  // The embedded plane is this process's own: no other instance can have a dashboard open.
  const alone = plane.kind === 'memory';
  /** Tenant → until when another instance is taken to watch it (Date.now() ms). */
  const elsewhere = new Map<number, number>();
  const startedAt = Date.now();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;

  function announce(tenants: number[]): void {
    if (tenants.length === 0) return;
    plane.publish(WATCHED_CHANNEL, JSON.stringify({ instance, tenants })).catch((err: unknown) => logger.warn({ err }, 'could not announce the dashboards open here; other instances may skip their events'));
  }

  function heard(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || !('tenants' in parsed) || !Array.isArray(parsed.tenants)) return;
    if ('instance' in parsed && parsed.instance === instance) return;
    const now = Date.now();
    const until = now + 3 * everyMs;
    for (const tenantId of parsed.tenants as unknown[]) {
      if (typeof tenantId !== 'number') continue;
      const known = (elsewhere.get(tenantId) ?? 0) > now;
      elsewhere.set(tenantId, until);
      if (!known) onWatchedElsewhere(tenantId);
    }
  }

  return {
    /** True when a dashboard of the tenant may be open on another instance (or this one has just started, sharing a plane). */
    elsewhere(tenantId: number): boolean {
      if (alone) return false;
      const now = Date.now();
      return (elsewhere.get(tenantId) ?? 0) > now || now - startedAt < 2 * everyMs;
    },
    /** A feed opened here: every instance hears of it at once, not at the next round. */
    opened(tenantId: number): void {
      announce([tenantId]);
    },
    async start(): Promise<void> {
      unsubscribe = await plane.subscribe(WATCHED_CHANNEL, heard);
      timer = setInterval(() => {
        const now = Date.now();
        for (const [tenantId, until] of elsewhere) if (until <= now) elsewhere.delete(tenantId);
        announce([...localTenants()]);
      }, everyMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await unsubscribe?.().catch(() => undefined);
    },
  };
}
export type Watchers = ReturnType<typeof createWatchers>;
