import {
  realtimeChannels,
  type RealtimeEventData,
  type RealtimeEventName,
  type RealtimeSystemData,
  type RealtimeSystemEvent,
} from '../../core/schemas/realtime.js';

/**
 * The wire text of real-time frames. An event is serialised once, where it is raised,
 * and stored as `event json-without-id`: the log numbers it, and each instance turns it
 * into the frame `{"id":n,...}` once, by string splicing, for all of its sockets.
 */

/** A numbered event ready to send: `text` is the whole frame, `bytes` the same encoded once for every socket. */
export interface RealtimeFrame {
  readonly seq: number;
  readonly event: string;
  readonly text: string;
  readonly bytes: Buffer;
}

/** The stored form of an event, before it has a number. */
export function entryOf<E extends RealtimeEventName>(event: E, data: RealtimeEventData<E>, ts: string): string {
  return `${event} ${JSON.stringify({ channel: realtimeChannels[event], event, data, ts })}`;
}

/**
 * The stored entry that stands for events not stored (their tenant seemed unwatched):
 * a feed that hears it tells its dashboards to resync, and a read back leaves it out,
 * so a replay across it finds a hole and resyncs too. Never sent to a socket.
 */
export const GAP_EVENT = 'realtime.gap';
export const GAP_ENTRY = `${GAP_EVENT} {"gap":true}`;

/** The frame of a stored entry under its number. */
export function frameOf(seq: number, entry: string): RealtimeFrame {
  const space = entry.indexOf(' ');
  // The JSON part starts with "{", so the id goes right after it.
  const text = `{"id":${seq},${entry.slice(space + 2)}`;
  return { seq, event: entry.slice(0, space), text, bytes: Buffer.from(text, 'utf8') };
}

/** A frame of the system channel, under the id of the last event the connection was given. */
export function systemFrame<E extends RealtimeSystemEvent>(event: E, data: RealtimeSystemData<E>, id: number, ts: string): string {
  return JSON.stringify({ id, channel: 'system', event, data, ts });
}
