import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { realtimeClientMessage, realtimeCloseCodes, realtimeQuery, type RealtimeSystemData } from '../core/schemas/realtime.js';
import type { Connection, RealtimeSocket } from '../services/realtime/connection.js';
import { systemFrame } from '../services/realtime/frames.js';

/** A client that has not authenticated by then is closed. */
const AUTH_TIMEOUT_MS = 10_000;
/** Malformed messages answered before the socket is closed (4400): a broken client should not keep us busy. */
const MAX_BAD_MESSAGES = 20;
/** Tokens of open sockets are checked again this often: expiry, and any revocation whose announcement was lost. */
const REVALIDATE_MS = 5 * 60_000;

/** One socket of GET /ws: its authentication, its messages, its liveness. */
export interface RealtimeSession {
  /** Called by the heartbeat: false when the previous ping went unanswered (the socket is then terminated). */
  heartbeat(): boolean;
}

/** ws keeps its net.Socket private; corking it makes several frames one write (one syscall) instead of one each. */
type Corkable = { _socket?: { cork(): void; uncork(): void } | null };

function adapt(socket: WebSocket): RealtimeSocket {
  return {
    send(frames) {
      if (socket.readyState !== socket.OPEN) return;
      const raw = frames.length > 1 ? (socket as unknown as Corkable)._socket : null;
      raw?.cork();
      // A Buffer is UTF-8 JSON too: binary false keeps it a text frame.
      for (const frame of frames) socket.send(frame, { binary: false });
      raw?.uncork();
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    close(code, reason) {
      socket.close(code, reason);
    },
  };
}

/**
 * Runs the protocol of one socket (README "Real time"): authenticate with the query's
 * token or a first `{"type":"auth"}` message, attach to the tenant's feed (replaying
 * from `last_id`), then answer pings. Nothing a client sends can throw out of here:
 * bad input gets an error frame, then a close; a bad token gets 4401 and a reason.
 */
export function openRealtimeSession(app: FastifyInstance, socket: WebSocket, request: FastifyRequest, onEnd: () => void): RealtimeSession {
  const { auth, realtime } = app.services;
  let phase: 'auth' | 'attaching' | 'live' | 'closed' = 'auth';
  let connection: Connection | undefined;
  let token: string | undefined;
  let validatedAt = 0;
  let alive = true;
  let badMessages = 0;
  let authTimer: NodeJS.Timeout | undefined;

  // A function, not a comparison, so the check after an await is not narrowed away: the socket may close meanwhile.
  const closed = () => phase === 'closed';
  const close = (code: number, reason: string) => {
    if (phase !== 'closed') socket.close(code, reason);
  };

  /** A system frame before there is a connection to number it: id 0, nothing given yet. */
  function early<E extends 'pong' | 'error'>(event: E, data: RealtimeSystemData<E>): void {
    if (socket.readyState === socket.OPEN) socket.send(systemFrame(event, data, 0, new Date().toISOString()));
  }

  function reply<E extends 'pong' | 'error'>(event: E, data: RealtimeSystemData<E>): void {
    if (connection) connection.system(event, data);
    else early(event, data);
  }

  function bad(message: string): void {
    badMessages += 1;
    if (badMessages > MAX_BAD_MESSAGES) close(realtimeCloseCodes.badMessages, 'too many malformed messages');
    else reply('error', { code: 'bad_message', message });
  }

  async function authenticate(presented: string, lastId: number | undefined): Promise<void> {
    phase = 'attaching';
    clearTimeout(authTimer);
    let principal;
    try {
      principal = await auth.authenticate(presented);
    } catch (err) {
      request.log.warn({ err }, 'could not check a real-time token');
      return close(realtimeCloseCodes.unavailable, 'could not check the token: try again');
    }
    if (closed()) return;
    if (!principal) return close(realtimeCloseCodes.unauthenticated, 'invalid or expired token: sign in again');
    token = presented;
    validatedAt = Date.now();
    try {
      const attached = await realtime.hub.attach(principal, adapt(socket), lastId);
      connection = attached.connection;
      if (closed()) return realtime.hub.detach(connection);
      phase = 'live';
      connection.system('ready', { tenant_id: principal.tenantId, replayed: attached.replayed, resync: attached.resync });
    } catch (err) {
      request.log.warn({ err, tenantId: principal.tenantId }, 'could not attach a real-time socket');
      close(realtimeCloseCodes.unavailable, 'real-time updates are unavailable: try again');
    }
  }

  /** The periodic token check of a live socket: a token gone since (expired, revoked) closes it. */
  function revalidate(): void {
    if (phase !== 'live' || !token || Date.now() - validatedAt < REVALIDATE_MS) return;
    validatedAt = Date.now();
    auth.authenticate(token).then(
      (principal) => {
        if (!principal) connection?.close(realtimeCloseCodes.unauthenticated, 'token expired or revoked: sign in again');
      },
      (err: unknown) => request.log.debug({ err }, 'could not re-check a real-time token; keeping the socket'),
    );
  }

  function onMessage(raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (phase === 'closed') return;
    if (isBinary) return bad('messages are JSON text');
    let value: unknown;
    try {
      value = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : Array.isArray(raw) ? Buffer.concat(raw).toString('utf8') : Buffer.from(raw).toString('utf8'));
    } catch {
      return bad('not JSON');
    }
    const parsed = realtimeClientMessage.safeParse(value);
    if (!parsed.success) return bad('expected {"type":"auth","token":"…","last_id":n} or {"type":"ping"}');
    const message = parsed.data;
    if (message.type === 'ping') return reply('pong', {});
    if (phase !== 'auth') return reply('error', { code: 'already_authenticated', message: 'this socket is already authenticated' });
    void authenticate(message.token, message.last_id ?? query.data?.last_id);
  }

  socket.on('pong', () => {
    alive = true;
  });
  socket.on('message', onMessage);
  socket.on('close', () => {
    phase = 'closed';
    clearTimeout(authTimer);
    if (connection) realtime.hub.detach(connection);
    onEnd();
  });

  const query = realtimeQuery.safeParse(request.query);
  if (!query.success) close(realtimeCloseCodes.badMessages, 'bad query: token is a string, last_id a whole number');
  else if (query.data.token) void authenticate(query.data.token, query.data.last_id);
  else authTimer = setTimeout(() => close(realtimeCloseCodes.unauthenticated, 'authentication timed out: send {"type":"auth","token":"…"} first'), AUTH_TIMEOUT_MS);

  return {
    heartbeat() {
      if (!alive) return false;
      alive = false;
      try {
        socket.ping();
      } catch {
        // Not open yet or already closing: the next beat decides.
      }
      revalidate();
      return true;
    },
  };
}
