import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** One year: browsers then refuse plain HTTP to this host for that long. */
const HSTS_MAX_AGE_SECONDS = 31_536_000;

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
    // Set below, only when the service is reached over HTTPS: never on a plain-HTTP trial.
    strictTransportSecurity: false,
  });
  const publicHttps = app.config.publicUrl?.startsWith('https://') ?? false;
  app.addHook('onRequest', (request, reply, done) => {
    // Cloudonix's webhooks answer a machine, not a browser: no page for these headers to protect.
    if (request.url.startsWith('/api/voice/')) {
      done();
      return;
    }
    // HTTPS when PUBLIC_URL says so, or the connection (X-Forwarded-Proto only with TRUST_PROXY) is TLS.
    // No includeSubDomains: other hosts of the operator's domain may still be plain HTTP.
    if (publicHttps || request.protocol === 'https') reply.header('strict-transport-security', `max-age=${HSTS_MAX_AGE_SECONDS}`);
    setHeaders(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
  });
}
