import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Config } from '../core/config.js';
import type { Logger } from '../services/logger.js';
import type { Services } from '../services/index.js';
import './context.js';
import { closeConnectionsWhileDraining } from './plugins/draining.js';
import { answerFrameworkError, installErrorHandler } from './plugins/error-handler.js';
import { installLazyRequestLogger } from './plugins/lazy-request-logger.js';
import { installJsonBodyParser } from './plugins/json-body.js';
import { installMetrics } from './plugins/metrics.js';
import { installOpenApi } from './plugins/openapi.js';
import { RequestLogController } from './plugins/request-log.js';
import { fallbackRateLimitStore } from './plugins/rate-limit-store.js';
import { installSecurityHeaders } from './plugins/security-headers.js';
import { rejectNulBytes } from './plugins/reject-nul-bytes.js';
import { installWebStatic } from './plugins/web-static.js';
import { registerRoutes } from './routes.js';

export interface AppDeps {
  config: Config;
  services: Services;
  logger: Logger;
  /** Shared Redis for cross-instance rate limits; in-process counters when absent. */
  redis?: Redis | undefined;
  /** Folder of the built admin UI; the API alone when absent. */
  webRoot?: string | undefined;
}

/** Builds the HTTP application without listening, so tests drive it with inject(). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // One line per request, at debug when it went well (plugins/request-log.ts).
    logController: new RequestLogController(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: answerFrameworkError,
    // During close, a request that still arrives on an open connection is served (with
    // Connection: close), not answered Fastify's bare 503: a voice webhook must get CXML
    // whatever happens, and what is taken is flushed before exit (cli/serve.ts).
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only for the admin API: anything else is a 415 (webhook routes add form bodies themselves).
  installLazyRequestLogger(app);
  app.removeContentTypeParser(['text/plain']);
  installJsonBodyParser(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('services', deps.services);
  app.decorate('config', config);
  app.decorateRequest('principal', null);
  // A callback hook, not an async one: no promise per request to set a header.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  installErrorHandler(app);
  closeConnectionsWhileDraining(app);
  rejectNulBytes(app);

  installSecurityHeaders(app);
  if (config.corsOrigins.length > 0) await app.register(cors, { origin: config.corsOrigins, credentials: false });
  // Counted in Redis, and per instance while Redis is away: throttles never turn off, nor lock everyone out.
  const store = fallbackRateLimitStore({ redis: deps.redis, nameSpace: 'vlb:ratelimit:', logger: deps.logger });
  await app.register(rateLimit, { global: false, store, skipOnError: false });

  const metrics = installMetrics(app, deps.services.metrics.registry);
  app.decorate('metricsRegistry', metrics);
  await installOpenApi(app);
  await app.register(registerRoutes(metrics));
  const servePage = await installWebStatic(app, deps.webRoot);

  app.setNotFoundHandler((request, reply) => {
    if (servePage(request, reply)) return reply;
    return reply
      .status(404)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.`, requestId: request.id } }));
  });
  return app;
}
