import type { FastifyInstance } from 'fastify';

/**
 * While the instance drains (services/drain-state.ts), every response says
 * `Connection: close`: a keep-alive client (or a proxy's upstream pool) opens its
 * next connection afresh, which the load balancer, seeing /ready fail, sends to
 * another instance. Set when the response is sent, so requests already in flight
 * when draining began are covered too. WebSocket upgrades are left alone: their
 * sockets are closed with 1012 when the listener closes (realtime.ts).
 */
export function closeConnectionsWhileDraining(app: FastifyInstance): void {
  const drain = app.services.drain;
  // A callback hook, not an async one: no promise per request on the hot path for a flag check.
  app.addHook('onSend', (request, reply, payload, done) => {
    if (drain.draining && request.headers.upgrade === undefined) reply.header('connection', 'close');
    done(null, payload);
  });
}
