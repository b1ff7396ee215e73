import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../core/config.js';
import { createFailoverPlane } from '../plane/failover-plane.js';
import { createMemoryPlane } from '../plane/memory-plane.js';
import type { Plane } from '../plane/plane.js';
import { createRedisClient, isRedisUnavailable, waitForRedis } from '../plane/redis-client.js';
import { createRedisPlane } from '../plane/redis-plane.js';
import { verifyAppKey } from '../services/app-key-check.js';
import { createMetrics, type CallMetrics } from '../services/call-metrics.js';
import type { Clock } from '../services/clock.js';
import { createServices, type Services } from '../services/index.js';
import type { Logger } from '../services/logger.js';
import { createRepeatedLog, type RepeatedLog } from '../services/repeated-log.js';
import { openStore, type Store } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { resolveAppKey } from './app-key.js';
import { endpointOf, hostPort } from './connection-url.js';
import { explainStartUpError } from './start-up-errors.js';

export type AppKeySource = { kind: 'env' } | { kind: 'file'; path: string; created: boolean };

export interface Runtime {
  config: Config;
  store: Store;
  plane: Plane;
  redis: Redis | undefined;
  services: Services;
  /** Migrations applied by this open (empty when none were pending or none were asked for). */
  migrationsApplied: string[];
  /** Where APP_KEY came from, and whether this open generated it (the start-up summary says to back it up). */
  appKeySource: AppKeySource;
  close(): Promise<void>;
}

/** The database URL in force: DATABASE_URL, else the embedded SQLite file in DATA_DIR. */
export function databaseUrlOf(config: Config): string {
  return config.databaseUrl ?? `sqlite:${join(resolve(config.dataDir), 'voice-lb.sqlite')}`;
}

/**
 * Redis behind a circuit breaker: while Redis is unreachable, this instance routes from
 * its own memory and merges what it did when Redis is back (see plane/failover-plane.ts).
 */
function scaledPlane(redis: Redis, repeated: RepeatedLog, metrics: CallMetrics, onHandlerError: (err: unknown, channel: string) => void): Plane {
  return createFailoverPlane(createRedisPlane(redis, { onHandlerError, onConnectionError: (err) => repeated.warn('redis subscriber connection error', { err }) }), {
    isConnected: () => redis.status === 'ready',
    isUnavailable: isRedisUnavailable,
    onHandlerError,
    onFailover: (err) => {
      metrics.planeError('failover');
      repeated.error('Redis is unreachable: routing from this instance\'s memory (caps at its share) until it is back', { err });
    },
    onRecovered: (report) => repeated.info('Redis is back: what this instance did meanwhile is merged into it', { ...report }),
    onMergeError: (err) => {
      metrics.planeError('merge');
      repeated.warn('could not merge into Redis yet; trying again', { err });
    },
  });
}

type OpenOptions = { migrate?: boolean; clock?: Clock; redisKeyPrefix?: string };

/**
 * Opens everything a process needs, in order: key, database (migrated when asked),
 * Redis, services; then proves the key matches the data. Shared by the server,
 * the CLI commands and the tests, so they all run the same wiring. A failure that has
 * a known fix (create the database, start the server, check the password) says it.
 */
export async function openRuntime(config: Config, logger: Logger, options: OpenOptions = {}): Promise<Runtime> {
  try {
    return await open(config, logger, options);
  } catch (err) {
    throw explainStartUpError(err, databaseUrlOf(config), resolve(config.dataDir));
  }
}

/** "Redis at host:port", never its password. */
function redisWhere(url: string): string {
  const endpoint = endpointOf(url);
  return endpoint ? `Redis at ${hostPort(endpoint)}` : 'Redis';
}

async function open(config: Config, logger: Logger, options: OpenOptions): Promise<Runtime> {
  const keyFile = resolve(config.dataDir, 'app.key');
  const appKeySource: AppKeySource = config.appKey ? { kind: 'env' } : { kind: 'file', path: keyFile, created: !existsSync(keyFile) };
  const appKey = resolveAppKey(config);
  const resolved: Config = { ...config, appKey };
  const store = openStore(databaseUrlOf(config), {
    onIdleError: (err) => logger.warn({ err }, 'database connection lost while idle; the pool will reconnect'),
  });
  let redis: Redis | undefined;
  let bullRedis: Redis | undefined;
  let migrationsApplied: string[] = [];
  // A reconnect fails about once a second per connection while Redis is away: a few lines per outage, not one per try.
  const repeated = createRepeatedLog(logger);
  try {
    if (options.migrate) {
      migrationsApplied = await migrateToLatest(store);
      if (migrationsApplied.length > 0) logger.info({ applied: migrationsApplied }, 'database migrated');
    }
    if (config.redisUrl) {
      redis = createRedisClient(config.redisUrl, options.redisKeyPrefix);
      redis.on('error', (err: Error) => repeated.warn('redis connection error', { err }));
      // An instance started during an outage serves from its own memory until Redis answers.
      const where = redisWhere(config.redisUrl);
      await waitForRedis(redis).catch((err: unknown) =>
        logger.warn({ err }, `${where} is unreachable at start: is it running there (REDIS_URL)? Serving from this instance's memory until it answers`),
      );
      // BullMQ (export jobs) gets its own connection: it blocks on it and needs maxRetriesPerRequest null; it prefixes keys itself.
      // Lazy: it connects when an export is queued or a worker starts.
      bullRedis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
      bullRedis.on('error', (err: Error) => repeated.warn('redis (export queue) connection error', { err }));
    }
    // Made before the plane, so its failures are counted from the start; served at /metrics with the HTTP and call metrics.
    const metrics = createMetrics();
    const onHandlerError = (err: unknown, channel: string) => {
      metrics.calls.planeError('subscriber');
      logger.error({ err, channel }, 'plane subscriber failed');
    };
    const plane = redis ? scaledPlane(redis, repeated, metrics.calls, onHandlerError) : createMemoryPlane({ onHandlerError });
    const exportQueueRedis = bullRedis ? { connection: bullRedis, prefix: `${options.redisKeyPrefix ?? ''}bull` } : undefined;
    const services = createServices({ config: resolved, store, plane, logger, exportQueueRedis, metrics, ...(options.clock ? { clock: options.clock } : {}) });
    await verifyAppKey(services.repos, services.secretBox);
    await services.start();
    return {
      config: resolved,
      store,
      plane,
      redis,
      services,
      migrationsApplied,
      appKeySource,
      async close() {
        await services.stop();
        await plane.close();
        if (redis) redis.disconnect();
        if (bullRedis) bullRedis.disconnect();
        await store.close();
        repeated.flush();
      },
    };
  } catch (err) {
    if (redis) redis.disconnect();
    if (bullRedis) bullRedis.disconnect();
    await store.close();
    throw err;
  }
}
