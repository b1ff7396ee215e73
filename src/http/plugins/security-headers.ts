import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's security headers on every response. Built once: @fastify/helmet
 * rebuilt the whole middleware (and re-parsed the CSP) on every request, which
 * showed up as ~1.5% of the webhook hot path's CPU.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        // A trial over plain HTTP on a LAN address must load its own scripts: no forced upgrade.
        upgradeInsecureRequests: null,
      },
    },
    // HSTS belongs to the TLS terminator in front of us, not to a plain-HTTP trial.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', (request, reply, done) => {
    // Cloudonix's webhooks answer a machine, not a browser: no page for these headers to protect.
    if (request.url.startsWith('/api/voice/')) {
      done();
      return;
    }
    setHeaders(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
  });
}
