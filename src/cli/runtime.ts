import { Redis } from 'ioredis';
import { join, resolve } from 'node:path';
import type { Config } from '../core/config.js';
import { createMemoryPlane } from '../plane/memory-plane.js';
import type { Plane } from '../plane/plane.js';
import { createRedisClient, waitForRedis } from '../plane/redis-client.js';
import { createRedisPlane } from '../plane/redis-plane.js';
import { verifyAppKey } from '../services/app-key-check.js';
import type { Clock } from '../services/clock.js';
import { createServices, type Services } from '../services/index.js';
import type { Logger } from '../services/logger.js';
import { openStore, type Store } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { resolveAppKey } from './app-key.js';

export interface Runtime {
  config: Config;
  store: Store;
  plane: Plane;
  redis: Redis | undefined;
  services: Services;
  /** Migrations applied by this open (empty when none were pending or none were asked for). */
  migrationsApplied: string[];
  close(): Promise<void>;
}

/** The database URL in force: DATABASE_URL, else the embedded SQLite file in DATA_DIR. */
export function databaseUrlOf(config: Config): string {
  return config.databaseUrl ?? `sqlite:${join(resolve(config.dataDir), 'voice-lb.sqlite')}`;
}

/**
 * Opens everything a process needs, in order: key, database (migrated when asked),
 * Redis, services; then proves the key matches the data. Shared by the server,
 * the CLI commands and the tests, so they all run the same wiring.
 */
export async function openRuntime(
  config: Config,
  logger: Logger,
  options: { migrate?: boolean; clock?: Clock; redisKeyPrefix?: string } = {},
): Promise<Runtime> {
  const appKey = resolveAppKey(config);
  const resolved: Config = { ...config, appKey };
  const store = openStore(databaseUrlOf(config), {
    onIdleError: (err) => logger.warn({ err }, 'database connection lost while idle; the pool will reconnect'),
  });
  let redis: Redis | undefined;
  let bullRedis: Redis | undefined;
  let migrationsApplied: string[] = [];
  try {
    if (options.migrate) {
      migrationsApplied = await migrateToLatest(store);
      if (migrationsApplied.length > 0) logger.info({ applied: migrationsApplied }, 'database migrated');
    }
    if (config.redisUrl) {
      redis = createRedisClient(config.redisUrl, options.redisKeyPrefix);
      redis.on('error', (err: Error) => logger.warn({ err }, 'redis connection error'));
      await waitForRedis(redis);
      // BullMQ (export jobs) gets its own connection: it blocks on it and needs maxRetriesPerRequest null; it prefixes keys itself.
      // Lazy: it connects when an export is queued or a worker starts.
      bullRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
      bullRedis.on('error', (err: Error) => logger.warn({ err }, 'redis (export queue) connection error'));
    }
    const onHandlerError = (err: unknown, channel: string) => logger.error({ err, channel }, 'plane subscriber failed');
    const plane = redis
      ? createRedisPlane(redis, { onHandlerError, onConnectionError: (err) => logger.warn({ err }, 'redis subscriber connection error') })
      : createMemoryPlane({ onHandlerError });
    const exportQueueRedis = bullRedis ? { connection: bullRedis, prefix: `${options.redisKeyPrefix ?? ''}bull` } : undefined;
    const services = createServices({ config: resolved, store, plane, logger, exportQueueRedis, ...(options.clock ? { clock: options.clock } : {}) });
    await verifyAppKey(services.repos, services.secretBox);
    await services.start();
    return {
      config: resolved,
      store,
      plane,
      redis,
      services,
      migrationsApplied,
      async close() {
        await services.stop();
        await plane.close();
        if (redis) redis.disconnect();
        if (bullRedis) bullRedis.disconnect();
        await store.close();
      },
    };
  } catch (err) {
    if (redis) redis.disconnect();
    if (bullRedis) bullRedis.disconnect();
    await store.close();
    throw err;
  }
}
