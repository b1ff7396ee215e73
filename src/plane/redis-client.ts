import { Redis } from 'ioredis';

/**
 * One ioredis connection per purpose. Commands fail fast while Redis is down
 * (no offline queue) or stalled (a command timeout), so a request never hangs on it,
 * and reconnection keeps trying about twice a second, so a Redis that is back is
 * noticed within half a second or so.
 */
export function createRedisClient(url: string, keyPrefix = ''): Redis {
  return new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    // Commands issued in the same tick leave in one write (the plane's scripts are gathered per turn: redis-script-batch.ts).
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // Far above a healthy round trip (well under a millisecond): only a stalled server reaches it.
    commandTimeout: 2000,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 500),
  });
}

/** Resolves once the client is ready, or rejects after `timeoutMs`. */
export function waitForRedis(client: Redis, timeoutMs = 5000): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis did not become ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      client.off('ready', onReady);
    };
    client.on('ready', onReady);
  });
}

/** Errors Redis itself answers while it cannot serve (loading data, a replica being promoted, out of memory). */
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MASTERDOWN|READONLY|OOM|CLUSTERDOWN|TRYAGAIN)\b/;
/** How ioredis and the socket say the connection is gone or silent. */
const CONNECTION_FAILURES = /Connection is closed|Stream isn't writeable|Command timed out|max retries per request|did not become ready|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN/i;

/**
 * True when `err` says Redis cannot be reached or cannot serve now, rather than that it
 * refused a command (a script error, a wrong type): the first is an outage to ride out,
 * the second a bug that must surface.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ReplyError') return UNAVAILABLE_REPLIES.test(err.message);
  return err.name === 'MaxRetriesPerRequestError' || CONNECTION_FAILURES.test(err.message);
}
