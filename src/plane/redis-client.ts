import { Redis } from 'ioredis';

/**
 * One ioredis connection per purpose. Commands fail fast while Redis is down
 * (no offline queue) so a request never hangs on it, and reconnection keeps trying.
 */
export function createRedisClient(url: string, keyPrefix = ''): Redis {
  return new Redis(url, {
    keyPrefix,
    enableOfflineQueue: false,
    // Commands issued in the same tick leave in one write: the hot path issues several per call.
    enableAutoPipelining: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
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
