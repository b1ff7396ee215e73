import websocket from '@fastify/websocket';
import type { FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError } from '../core/errors.js';
import { realtimeCloseCodes } from '../core/schemas/realtime.js';
import { openRealtimeSession, type RealtimeSession } from './realtime-session.js';

/** Largest client message; the protocol's messages are a few hundred bytes (ws closes with 1009 above it). */
const MAX_MESSAGE_BYTES = 4096;
/** On shutdown, sockets get this long to finish their close handshake before they are cut. */
const CLOSE_GRACE_MS = 1000;

/**
 * GET /ws: every open dashboard receives its tenant's events as they happen, on any
 * instance (README "Real time"; the protocol is in realtime-session.ts, the fan-out in
 * services/realtime). Registered beside the tenant routes, not inside them: browsers
 * cannot send an Authorization header on a WebSocket, so the token comes in the URL or
 * the first message, and a refusal is a close code with a reason the page can read.
 */
const realtimeRoutes: FastifyPluginAsync = async (app) => {
  const sessions = new Map<WebSocket, RealtimeSession>();

  // One timer for every socket: a socket that did not answer the previous ping is cut.
  const heartbeat = setInterval(() => {
    for (const [socket, session] of sessions) if (!session.heartbeat()) socket.terminate();
  }, app.config.realtime.heartbeatSeconds * 1000);
  heartbeat.unref();

  await app.register(websocket, {
    options: { maxPayload: MAX_MESSAGE_BYTES },
    // A client vanishing mid-frame is routine, not an error of ours.
    errorHandler: (err, socket, request) => {
      request.log.debug({ err }, 'websocket error');
      socket.terminate();
    },
    // On shutdown, once the drain wait is over (cli/graceful-shutdown.ts): 1012 tells dashboards to reconnect
    // at once, and the load balancer, which saw /ready fail, sends them to another instance.
    preClose: async () => {
      clearInterval(heartbeat);
      const server = app.websocketServer;
      for (const client of server.clients) client.close(realtimeCloseCodes.restarting, 'server restarting: reconnect');
      const cut = setTimeout(() => {
        for (const client of server.clients) client.terminate();
      }, CLOSE_GRACE_MS);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(cut);
    },
  });

  app.route({
    method: 'GET',
    url: '/ws',
    schema: { hide: true },
    config: {
      rateLimit: {
        // Per client address: the default (120) is ample for an office behind one NAT reconnecting, not for a flood.
        max: app.config.realtime.connectsPerMinute,
        timeWindow: 60_000,
        keyGenerator: (request) => `ws:${request.ip}`,
        errorResponseBuilder: (_request, ctx) =>
          new AppError('rate_limited', `Too many WebSocket connections from this address. Try again in ${ctx.after}.`, undefined, { 'retry-after': String(Math.ceil(ctx.ttl / 1000)) }),
      },
    },
    handler: async () => {
      throw new AppError('bad_request', 'GET /ws upgrades to a WebSocket: connect with a WebSocket client (README "Real time").');
    },
    wsHandler: (socket, request) => {
      sessions.set(socket, openRealtimeSession(app, socket, request, () => sessions.delete(socket)));
    },
  });
};

export default realtimeRoutes;
