import type { FastifyInstance } from 'fastify';
import type { DrainState } from '../services/drain-state.js';
import type { Logger } from '../services/logger.js';

export interface ShutdownDeps {
  app: FastifyInstance;
  drain: DrainState;
  /** Stops the services, writing what they hold, then closes Redis and the database. */
  closeRuntime: () => Promise<void>;
  logger: Logger;
  /** How long /ready fails, everything else served as usual, before the listener closes. */
  drainMs: number;
  /** The bound on the whole shutdown, from the signal to exit. */
  timeoutMs: number;
  exit?: (code: number) => void;
}

/** At most this much of the bound is kept for the flush: connections still open then are cut. */
const FLUSH_SHARE_MS = 5000;

const sleepUnless = (ms: number, skip: Promise<void>) => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([new Promise<void>((done) => (timer = setTimeout(done, ms))), skip]).finally(() => clearTimeout(timer));
};

/**
 * Shutdown on SIGTERM/SIGINT, so a rolling restart loses nothing:
 * 1. drain — /ready answers 503 and responses say `Connection: close`, while every request is
 *    still served, for `drainMs`: long enough for a load balancer checking every 1–2 s to stop
 *    sending here (Kubernetes removes the endpoint at the same time; the wait covers its delay);
 * 2. close — the listener stops accepting, requests in flight finish, idle keep-alive
 *    connections close, dashboards' sockets close with 1012 (reconnect);
 * 3. flush — the services write what they hold (group commits, call records held while the
 *    database was away, webhook audit rows, roll-up marks), then Redis and the database close;
 * 4. exit 0.
 * The whole is bounded by `timeoutMs` (exit 1 beyond it; default below Kubernetes' 30 s grace):
 * connections still open when only the flush's share is left are cut. A second signal (a
 * second Ctrl-C) skips what is left of the drain wait, never the close or the flush.
 */
export function createGracefulShutdown({ app, drain, closeRuntime, logger, drainMs, timeoutMs, exit = (code) => process.exit(code) }: ShutdownDeps) {
  let skipWait: () => void = () => undefined;
  const waitSkipped = new Promise<void>((done) => (skipWait = done));

  async function shutdown(signal: string): Promise<void> {
    if (!drain.begin()) {
      logger.info({ signal }, 'already shutting down: skipping the rest of the drain wait; requests in flight and held writes still finish');
      skipWait();
      return;
    }
    const started = performance.now();
    const since = () => Math.round(performance.now() - started);
    const force = setTimeout(() => {
      logger.error({ signal, timeoutMs }, 'shutdown did not finish within SHUTDOWN_TIMEOUT_MS; exiting without finishing it');
      exit(1);
    }, timeoutMs);
    // Not unref'd: should the shutdown hang on a promise nothing will settle, an empty event loop
    // would otherwise end the process with 0 as if it had finished.
    logger.info({ signal, drainMs, timeoutMs }, `draining: /ready answers 503 for ${drainMs} ms while requests are still served, then the listener closes (a second signal skips the wait)`);
    try {
      await sleepUnless(drainMs, waitSkipped);
      const drained = since();
      logger.info({ drainedMs: drained }, 'closing the listener; finishing requests in flight');
      // Requests that outlive the bound's share for closing are cut, so the flush still runs.
      const cut = setTimeout(() => {
        logger.warn('requests still in flight at the shutdown bound: closing their connections');
        app.server.closeAllConnections();
      }, Math.max(0, timeoutMs - Math.min(FLUSH_SHARE_MS, timeoutMs / 4) - drained));
      cut.unref();
      await app.close();
      clearTimeout(cut);
      const closed = since();
      await closeRuntime();
      const flushed = since();
      clearTimeout(force);
      logger.info({ signal, drainedMs: drained, listenerClosedMs: closed - drained, flushedMs: flushed - closed, totalMs: flushed }, 'shut down cleanly');
      exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      exit(1);
    }
  }

  return shutdown;
}

/** The shutdown above, on SIGINT and SIGTERM. */
export function installGracefulShutdown(deps: ShutdownDeps): void {
  const shutdown = createGracefulShutdown(deps);
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
