import type { RealtimeEventData, RealtimeEventName } from '../../core/schemas/realtime.js';
import type { LogPolicy, LogRead, Plane } from '../../plane/plane.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { planeKeys } from '../plane-keys.js';
import { entryOf, frameOf, type RealtimeFrame } from './frames.js';

interface Deps {
  plane: Plane;
  clock: Clock;
  logger: Logger;
  policy: LogPolicy;
}

/** Appends not yet answered by the plane, beyond which new events are dropped rather than queued without bound. */
const MAX_APPENDS_IN_FLIGHT = 1000;
/** One warning per this interval at most, with a count, when the plane refuses events. */
const WARN_EVERY_MS = 10_000;

/** The channel a tenant's numbered events are published on (only instances with its dashboards subscribe). */
const channelOf = (tenantId: number) => `t:${tenantId}:realtime`;

/**
 * Each tenant's real-time events: numbered and stored once, by the instance that raises
 * them, in the plane's log (one counter per tenant, so every instance agrees on ids),
 * and published to every instance that has a dashboard of the tenant open.
 *
 * `raise` is for hot paths: it only serialises the event and queues it; events raised in
 * the same turn of the event loop go to the plane together, one append per tenant, never
 * awaited by the caller. Failures are logged (throttled), never thrown.
 *
 * Events are numbered and stored even when no dashboard is open anywhere: knowing that
 * would itself take a plane round trip (or a presence protocol that can be wrong just
 * after a start), and skipping would make ids and replay wrong for a dashboard that
 * reconnects. Storing is one append per batch into a capped log; what costs with the
 * number of dashboards (frames, sockets, metrics queries) happens only on instances that
 * have a dashboard of the tenant open, since only they subscribe to its channel.
 */
export function createEventLog({ plane, clock, logger, policy }: Deps) {
  const queued = new Map<number, string[]>();
  let scheduled = false;
  const inFlight = new Set<Promise<unknown>>();
  let suppressed = 0;
  let lastWarnAt = 0;

  function warn(err: unknown, message: string): void {
    const now = Date.now();
    if (now - lastWarnAt < WARN_EVERY_MS) {
      suppressed += 1;
      return;
    }
    logger.warn({ err, suppressed }, message);
    lastWarnAt = now;
    suppressed = 0;
  }

  function flush(): void {
    scheduled = false;
    const now = clock();
    for (const [tenantId, entries] of queued) {
      if (inFlight.size >= MAX_APPENDS_IN_FLIGHT) {
        warn(undefined, `the plane is not keeping up: ${entries.length} real-time events dropped`);
        continue;
      }
      const append = plane
        .appendToLog(planeKeys.realtimeLog(tenantId), channelOf(tenantId), entries, policy, now)
        .catch((err: unknown) => warn(err, 'could not store real-time events; open dashboards miss them'))
        .finally(() => inFlight.delete(append));
      inFlight.add(append);
    }
    queued.clear();
  }

  return {
    /** Raises an event for the tenant's open dashboards. Never throws, never waits. */
    raise<E extends RealtimeEventName>(tenantId: number, event: E, data: RealtimeEventData<E>): void {
      try {
        const entry = entryOf(event, data, new Date(clock()).toISOString());
        const list = queued.get(tenantId);
        if (list) list.push(entry);
        else queued.set(tenantId, [entry]);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      } catch (err) {
        warn(err, 'could not raise a real-time event');
      }
    },

    /** The tenant's log after `afterSeq` (see Plane.readLog). */
    read(tenantId: number, afterSeq: number): Promise<LogRead> {
      return plane.readLog(planeKeys.realtimeLog(tenantId), afterSeq, policy, clock());
    },

    /** Hears the tenant's events as frames, in id order. */
    subscribe(tenantId: number, onFrame: (frame: RealtimeFrame) => void): Promise<() => Promise<void>> {
      return plane.subscribe(channelOf(tenantId), (message) => {
        const space = message.indexOf(' ');
        const seq = Number(message.slice(0, space));
        if (space > 0 && Number.isSafeInteger(seq)) onFrame(frameOf(seq, message.slice(space + 1)));
      });
    },

    /** Resolves once every event raised so far is stored (or has failed): for shutdown and tests. */
    async settle(): Promise<void> {
      if (scheduled) flush();
      await Promise.all([...inFlight]);
    },
  };
}
export type EventLog = ReturnType<typeof createEventLog>;
