import type { RealtimeEventData, RealtimeEventName } from '../../core/schemas/realtime.js';
import type { LogPolicy, LogRead, Plane } from '../../plane/plane.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { planeKeys } from '../plane-keys.js';
import { entryOf, frameOf, GAP_ENTRY, type RealtimeFrame } from './frames.js';

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
 * Call events of a tenant no instance has a dashboard of are not built at all (see
 * watchers.ts and index.ts); what stands for them is one gap entry (`raiseGap`) when an
 * instance starts skipping a tenant and one when it learns the tenant is watched again,
 * so ids and replay stay right: a dashboard that reads across a gap, or hears one, resyncs.
 * What costs with the number of dashboards (frames, sockets, metrics queries) happens only
 * on instances that have a dashboard of the tenant open, since only they subscribe to its channel.
 */
export function createEventLog({ plane, clock, logger, policy }: Deps) {
  const queued = new Map<number, string[]>();
  let scheduled = false;
  const inFlight = new Set<Promise<unknown>>();
  let suppressed = 0;
  let lastWarnAt = 0;
  /** Entries serialised so far (events and gaps): what a test counts to see that nothing was built. */
  let built = 0;

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

  function queue(tenantId: number, entry: string): void {
    built += 1;
    const list = queued.get(tenantId);
    if (list) list.push(entry);
    else queued.set(tenantId, [entry]);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }

  return {
    /** Raises an event for the tenant's open dashboards. Never throws, never waits. */
    raise<E extends RealtimeEventName>(tenantId: number, event: E, data: RealtimeEventData<E>): void {
      try {
        queue(tenantId, entryOf(event, data, new Date(clock()).toISOString()));
      } catch (err) {
        warn(err, 'could not raise a real-time event');
      }
    },

    /** Stores a gap: events of the tenant were, or may have been, skipped here (see GAP_ENTRY). */
    raiseGap(tenantId: number): void {
      queue(tenantId, GAP_ENTRY);
    },

    /** Entries built since start (events and gaps). */
    get built(): number {
      return built;
    },

    /** The tenant's log after `afterSeq` (see Plane.readLog), gaps left out so that a replay across one finds a hole. */
    async read(tenantId: number, afterSeq: number): Promise<LogRead> {
      const read = await plane.readLog(planeKeys.realtimeLog(tenantId), afterSeq, policy, clock());
      return read.entries.some((e) => e.entry === GAP_ENTRY) ? Object.assign({}, read, { entries: read.entries.filter((e) => e.entry !== GAP_ENTRY) }) : read;
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
