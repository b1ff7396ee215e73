import { vi } from 'vitest';
import WebSocket from 'ws';
import type { RealtimeFrameView } from '../../src/core/schemas/realtime.js';
import type { TestApp } from './test-app.js';

/** A dashboard's socket on GET /ws, recording every frame and how it closed. */
export interface LiveClient {
  socket: WebSocket;
  frames: RealtimeFrameView[];
  /** Frames that are events (not the system channel). */
  events(): RealtimeFrameView[];
  closed: Promise<{ code: number; reason: string }>;
  /** Waits (bounded) until a frame matches, and returns it. */
  waitFor(match: (f: RealtimeFrameView) => boolean, what?: string): Promise<RealtimeFrameView>;
  /** The id of the newest frame, as a client keeps it to reconnect. */
  lastId(): number;
  close(): Promise<void>;
}

/** Starts listening on a free loopback port (once per app) and returns the WebSocket URL of /ws. */
export async function wsUrlOf(t: TestApp): Promise<string> {
  const address = t.app.server.address();
  if (address && typeof address === 'object') return `ws://127.0.0.1:${address.port}/ws`;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return wsUrlOf(t);
}

/** Opens a socket (query token and last_id optional) and resolves once it is open. */
export async function openLive(t: TestApp, query: { token?: string; last_id?: number | string } = {}, options: WebSocket.ClientOptions = {}): Promise<LiveClient> {
  const params = new URLSearchParams();
  if (query.token !== undefined) params.set('token', query.token);
  if (query.last_id !== undefined) params.set('last_id', String(query.last_id));
  const socket = new WebSocket(`${await wsUrlOf(t)}?${params.toString()}`, options);
  const frames: RealtimeFrameView[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as RealtimeFrameView));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    frames,
    events: () => frames.filter((f) => f.channel !== 'system'),
    closed,
    async waitFor(match, what = 'a matching frame') {
      return vi.waitFor(
        () => {
          const found = frames.find(match);
          if (!found) throw new Error(`no ${what} yet; got ${frames.map((f) => f.event).join(', ')}`);
          return found;
        },
        { timeout: 8000, interval: 20 },
      );
    },
    lastId: () => frames.at(-1)?.id ?? 0,
    async close() {
      if (socket.readyState === WebSocket.CLOSED) return;
      socket.close();
      await closed;
    },
  };
}

/** Opens a socket with the token in the URL and waits for `ready`. */
export async function openReady(t: TestApp, token: string, lastId?: number): Promise<LiveClient> {
  const client = await openLive(t, lastId === undefined ? { token } : { token, last_id: lastId });
  await client.waitFor((f) => f.event === 'ready', 'ready frame');
  return client;
}
