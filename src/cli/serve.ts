import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../core/config.js';
import { buildApp } from '../http/app.js';
import { listenForMetrics } from '../http/metrics-server.js';
import type { Logger } from '../services/logger.js';
import { announceStartUp } from './announce-start-up.js';
import { installGracefulShutdown } from './graceful-shutdown.js';
import { openRuntime } from './runtime.js';

/** dist/web next to the compiled server, or the build output seen from src/ under tsx. */
function findWebRoot(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return [join(here, '../web'), join(here, '../../dist/web')].find((p) => existsSync(join(p, 'index.html')));
}

function describeMetrics(config: Config, listening: string | undefined): string {
  const where = [config.metrics.token ? '/metrics with its token' : undefined, listening ? `http://${listening}/metrics` : undefined].filter(Boolean);
  return where.length > 0 ? where.join(' and ') : 'not served (set METRICS_TOKEN or METRICS_LISTEN)';
}

/** Migrates, serves API and UI on one port, and closes cleanly on SIGINT/SIGTERM. */
export async function serve(config: Config, logger: Logger): Promise<void> {
  const runtime = await openRuntime(config, logger, { migrate: true });
  const webRoot = findWebRoot();
  const app = await buildApp({ config: runtime.config, services: runtime.services, logger, redis: runtime.redis, webRoot });
  // The daily retention purge; app.close() stops it (finishing its current batch) before the database closes.
  app.addHook('onClose', runtime.services.retention.startDaily());
  // Live calls: slots rebuilt from the records now (the embedded plane starts empty), then calls whose
  // end never came are closed after the tenant's maximum call length, every minute.
  app.addHook('onClose', runtime.services.routing.liveState.startPeriodic());
  // Export jobs (BullMQ worker, or unfinished in-process exports resumed) and the hourly expiry sweep.
  app.addHook('onClose', runtime.services.exports.startBackground());
  const metricsServer = config.metrics.listen ? await listenForMetrics(app.metricsRegistry, config.metrics.listen, config.metrics.token) : undefined;
  if (metricsServer) app.addHook('onClose', () => metricsServer.close());
  // Signals drain, close, flush and exit in that order, within SHUTDOWN_TIMEOUT_MS (graceful-shutdown.ts).
  installGracefulShutdown({
    app,
    drain: runtime.services.drain,
    closeRuntime: () => runtime.close(),
    logger,
    drainMs: config.shutdown.drainMs,
    timeoutMs: config.shutdown.timeoutMs,
  });

  const address = await app.listen({ port: config.port, host: config.host });
  const bound = app.server.address();
  await announceStartUp({
    runtime,
    logger,
    address,
    port: typeof bound === 'object' && bound ? bound.port : config.port,
    webUi: webRoot !== undefined,
    metrics: describeMetrics(config, metricsServer?.address),
  });
}
