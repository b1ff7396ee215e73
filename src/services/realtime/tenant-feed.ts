import { replayFrom } from '../../core/realtime/replay-from.js';
import type { ResyncReason } from '../../core/schemas/realtime.js';
import type { Logger } from '../logger.js';
import type { EventLog } from './event-log.js';
import { frameOf, GAP_EVENT, type RealtimeFrame } from './frames.js';

/** What a feed hands frames to: one socket's connection. */
export interface FeedMember {
  deliver(frame: RealtimeFrame): void;
  resync(reason: ResyncReason, last: number): void;
}

/** Beyond this many frames held during a repair, the feed stops holding and resyncs its members. */
const MAX_HELD = 10_000;

/**
 * One tenant's events on one instance, while it has dashboards of that tenant open:
 * one plane subscription, whatever the number of sockets, and each event turned into a
 * frame once for all of them.
 *
 * Frames reach members gapless and in id order. The plane delivers in order; a frame
 * whose id skips ahead means messages were lost (a Redis reconnect), so the feed holds
 * what arrives, reads the missing ones back from the log and carries on, or tells its
 * members to resync when the log no longer has them.
 */
export function createTenantFeed(tenantId: number, log: EventLog, logger: Logger, onFrame: (frame: RealtimeFrame) => void) {
  const members = new Set<FeedMember>();
  let lastId = 0;
  /** Non-null while starting or repairing: frames wait here, in arrival order. */
  let held: RealtimeFrame[] | null = [];
  let unsubscribe: (() => Promise<void>) | undefined;

  function dispatch(frame: RealtimeFrame): void {
    lastId = frame.seq;
    for (const member of members) member.deliver(frame);
    onFrame(frame);
  }

  function resyncAll(reason: ResyncReason, last: number): void {
    lastId = last;
    for (const member of members) member.resync(reason, last);
  }

  /** Delivers the frame or, when it skips ahead, starts a repair; false when a repair started. */
  function accept(frame: RealtimeFrame): boolean {
    if (frame.seq <= lastId) return true;
    if (frame.seq === lastId + 1) {
      // Events were skipped where the tenant seemed unwatched: the dashboards refetch rather than miss them.
      if (frame.event === GAP_EVENT) resyncAll('too_far_behind', frame.seq);
      else dispatch(frame);
      return true;
    }
    held = [frame];
    void repair(frame);
    return false;
  }

  function release(): void {
    const frames = held ?? [];
    held = null;
    for (let i = 0; i < frames.length; i++) {
      if (!accept(frames[i]!)) {
        held!.push(...frames.slice(i + 1));
        return;
      }
    }
  }

  async function repair(first: RealtimeFrame): Promise<void> {
    try {
      const read = await log.read(tenantId, lastId);
      const plan = replayFrom(lastId, Object.assign({}, read, { entries: read.entries.map((e) => frameOf(e.seq, e.entry)) }));
      if (plan.kind === 'replay') for (const frame of plan.entries) dispatch(frame);
      else resyncAll(plan.reason, plan.last);
    } catch (err) {
      logger.warn({ err, tenantId }, 'could not read missed real-time events back; dashboards will refetch');
      resyncAll('too_far_behind', first.seq - 1);
    }
    release();
  }

  function receive(frame: RealtimeFrame): void {
    if (!held) {
      accept(frame);
      return;
    }
    if (held.length < MAX_HELD) held.push(frame);
    // Held frames are given up, not queued without bound: the next repair reads them back from the log (or resyncs).
    else held = [frame];
  }

  return {
    tenantId,
    members,
    /** The id of the last frame handed to members. */
    get lastId(): number {
      return lastId;
    },
    /** Subscribes, then learns where the log stands; frames heard meanwhile wait, then go out in order. */
    async start(): Promise<void> {
      unsubscribe = await log.subscribe(tenantId, receive);
      try {
        lastId = (await log.read(tenantId, Number.MAX_SAFE_INTEGER)).last;
      } catch (err) {
        await unsubscribe();
        throw err;
      }
      release();
    },
    /**
     * The log's numbering changed under the feed (the plane failed over to this instance's
     * memory, or Redis is back, each numbering its own way): carry on from the current
     * numbering's last id, and have every member refetch what it may have missed.
     */
    async renumber(): Promise<void> {
      held ??= [];
      try {
        resyncAll('unknown_id', (await log.read(tenantId, Number.MAX_SAFE_INTEGER)).last);
      } catch (err) {
        logger.warn({ err, tenantId }, 'could not read where real-time events stand; the next event repairs it');
      }
      release();
    },
    async stop(): Promise<void> {
      members.clear();
      await unsubscribe?.();
    },
  };
}
export type TenantFeed = ReturnType<typeof createTenantFeed>;
