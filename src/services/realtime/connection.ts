import { replayFrom } from '../../core/realtime/replay-from.js';
import type { Principal } from '../../core/principal.js';
import type { RealtimeSystemData, RealtimeSystemEvent, ResyncReason } from '../../core/schemas/realtime.js';
import { realtimeCloseCodes } from '../../core/schemas/realtime.js';
import type { LogRead } from '../../plane/plane.js';
import type { Clock } from '../clock.js';
import { frameOf, systemFrame, type RealtimeFrame } from './frames.js';
import type { FeedMember } from './tenant-feed.js';

/** What the hub needs of a WebSocket (the HTTP layer adapts `ws` to it). */
export interface RealtimeSocket {
  /** Sends text frames in order, in as few writes as the socket allows (a Buffer holds UTF-8 text already encoded). */
  send(frames: readonly (string | Buffer)[]): void;
  /** Bytes queued in the socket and not yet sent. */
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

/** Flow control of one socket. */
export interface FlowLimits {
  /** Above this many bytes buffered, events are no longer written to the socket... */
  maxBufferedBytes: number;
  /** ...until it drains below this; then it gets the coalesced events and a resync. */
  resumeBelowBytes: number;
  /** A socket that stays full this long is closed (4408). */
  maxLagMs: number;
}

export const defaultFlowLimits: FlowLimits = { maxBufferedBytes: 512 * 1024, resumeBelowBytes: 64 * 1024, maxLagMs: 60_000 };

/** Frames arriving while a connection catches up wait; beyond this it resyncs instead. */
const MAX_PENDING = 10_000;

/** Events of which only the newest matters: a slow client gets the last one instead of all. */
const COALESCED = new Set(['metrics.updated']);

/**
 * One authenticated socket: what it was last given, its catch-up on connect, and
 * back-pressure. Ids only go up on a connection: a frame at or below the last id
 * given is never sent, and system frames carry the last id given.
 *
 * A socket whose buffer passes `maxBufferedBytes` stops being written to (nothing is
 * queued for it in this process either); the newest of each coalesced event is kept.
 * Once it drains it gets those and then a `resync`, so its memory stays bounded
 * however slow it is, and the client refetches rather than losing events silently.
 */
export function createConnection(principal: Principal, socket: RealtimeSocket, limits: FlowLimits, clock: Clock) {
  let lastSent = 0;
  /** The highest id offered, sent or not: where a resync after lagging resumes. */
  let lastOffered = 0;
  let pending: RealtimeFrame[] | null = null;
  let pendingOverflow = false;
  let lag: { since: number; coalesced: Map<string, RealtimeFrame> } | null = null;
  let open = true;
  /**
   * Frames written in this turn of the event loop, sent together at its end: events raised
   * together (call.started and call.routed) then cost one socket write, not one each.
   */
  let outbox: (string | Buffer)[] | null = null;
  /** Bytes in the outbox: they count against the bound as much as the socket's own buffer. */
  let outboxBytes = 0;

  const ts = () => new Date(clock()).toISOString();

  function flush(): void {
    const frames = outbox;
    outbox = null;
    outboxBytes = 0;
    if (open && frames) socket.send(frames);
  }

  function write(data: string | Buffer): void {
    if (!open) return;
    if (!outbox) {
      outbox = [];
      queueMicrotask(flush);
    }
    outbox.push(data);
    outboxBytes += data.length;
  }

  function send(frame: RealtimeFrame): void {
    lastSent = frame.seq;
    write(frame.bytes);
  }

  function system<E extends RealtimeSystemEvent>(event: E, data: RealtimeSystemData<E>): void {
    write(systemFrame(event, data, lastSent, ts()));
  }

  function resync(reason: ResyncReason, last: number): void {
    // After a resync the client refetches, so nothing below `last` is owed any more. An unknown
    // id belongs to another numbering (Redis failed over to memory, or back): the log's is adopted.
    lastSent = reason === 'unknown_id' ? last : Math.max(lastSent, last);
    lastOffered = reason === 'unknown_id' ? lastSent : Math.max(lastOffered, lastSent);
    system('resync', { reason });
  }

  function deliver(frame: RealtimeFrame): void {
    if (!open || frame.seq <= lastSent) return;
    lastOffered = Math.max(lastOffered, frame.seq);
    if (pending) {
      if (pending.length < MAX_PENDING) pending.push(frame);
      else pendingOverflow = true;
      return;
    }
    if (!lag && socket.bufferedAmount + outboxBytes > limits.maxBufferedBytes) lag = { since: Date.now(), coalesced: new Map() };
    if (lag) {
      if (COALESCED.has(frame.event)) lag.coalesced.set(frame.event, frame);
      return;
    }
    send(frame);
  }

  const member: FeedMember = { deliver, resync };

  return {
    principal,
    member,
    system,

    /** A fresh connection starts live at the feed's last id. */
    startAt(last: number): void {
      lastSent = last;
      lastOffered = last;
    },

    /** Call before joining the feed when the client gave a last id: live frames wait until `finishCatchUp`. */
    beginCatchUp(afterSeq: number): void {
      lastSent = afterSeq;
      lastOffered = afterSeq;
      pending = [];
    },

    /** Sends what the client missed (or a resync), then the frames that came meanwhile; says which it was. */
    finishCatchUp(afterSeq: number, read: LogRead): { replayed: number; resync: boolean } {
      const plan = replayFrom(afterSeq, Object.assign({}, read, { entries: read.entries.map((e) => frameOf(e.seq, e.entry)) }));
      const waiting = pending ?? [];
      pending = null;
      if (plan.kind === 'replay') {
        // Through deliver, so a replay into a slow socket is bounded like any other write.
        for (const frame of plan.entries) deliver(frame);
      } else {
        resync(plan.reason, plan.last);
      }
      if (pendingOverflow) {
        pendingOverflow = false;
        resync('slow_client', lastOffered);
      } else {
        for (const frame of waiting) deliver(frame);
      }
      return { replayed: plan.kind === 'replay' ? plan.entries.length : 0, resync: plan.kind === 'resync' };
    },

    /** Periodic: a lagging socket that drained gets the coalesced events and a resync; one full for too long is closed. */
    checkFlow(): void {
      if (!lag || !open) return;
      if (socket.bufferedAmount <= limits.resumeBelowBytes) {
        const coalesced = [...lag.coalesced.values()].sort((a, b) => a.seq - b.seq);
        lag = null;
        for (const frame of coalesced) send(frame);
        resync('slow_client', lastOffered);
      } else if (Date.now() - lag.since > limits.maxLagMs) {
        close(realtimeCloseCodes.slowClient, 'too slow: the connection could not keep up with events');
      }
    },

    get lagging(): boolean {
      return lag !== null;
    },

    close,
  };

  function close(code: number, reason: string): void {
    if (!open) return;
    flush();
    open = false;
    socket.close(code, reason);
  }
}
export type Connection = ReturnType<typeof createConnection>;
