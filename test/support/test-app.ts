import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openRuntime, type Runtime } from '../../src/cli/runtime.js';
import { parseConfig } from '../../src/core/config.js';
import { buildApp } from '../../src/http/app.js';
import type { Clock } from '../../src/services/clock.js';
import { createLogger } from '../../src/services/logger.js';
import type { TestDialect } from './backends.js';
import { deleteRedisPrefix } from './redis-keys.js';

export interface TestApp {
  app: FastifyInstance;
  runtime: Runtime;
  /** Every log line the app wrote, as JSON text. */
  logs: string[];
  request(opts: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * A real app over a fresh database of the given dialect, with its logs captured.
 * Nothing is mocked: the same `openRuntime` and `buildApp` as `npm start`.
 */
export interface TestAppOptions {
  /** Instances meant to share Redis state (a cluster) pass the same prefix; by default each app has its own. */
  redisKeyPrefix?: string;
  /** Injected time for services (rolling windows, expiry) so tests never sleep. */
  clock?: Clock;
  /** Rewrites the test database's URL, e.g. to reach it through a fault-injecting proxy. */
  databaseUrl?: (url: string) => string;
}

export async function createTestApp(dialect: TestDialect, env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await dialect.createDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-test-'));
  const config = parseConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: options.databaseUrl ? options.databaseUrl(database.url) : database.url,
    APP_KEY: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
    LOGIN_MAX_ATTEMPTS: '1000',
    // Suites send thousands of requests from one address and token; the limits have their own tests.
    API_RATE_LIMIT_PER_TOKEN: '1000000',
    API_RATE_LIMIT_PER_ADDRESS: '1000000',
    // Suites register a tenant per test; SIGNUP=first (one tenant per installation) has its own tests.
    SIGNUP: 'open',
    // No test reaches the real Cloudonix: a closed local port unless the test starts the fake (test/support/fake-cloudonix-api.ts).
    CLOUDONIX_API_URL: 'http://127.0.0.1:9',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  // Each app gets its own Redis key space, so suites sharing one Redis never collide.
  const redisKeyPrefix = options.redisKeyPrefix ?? `vlbt:${randomBytes(4).toString('hex')}:`;
  const runtime = await openRuntime(config, logger, { migrate: true, redisKeyPrefix,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = await buildApp({ config: runtime.config, services: runtime.services, logger, redis: runtime.redis });
  await app.ready();
  return {
    app,
    runtime,
    logs,
    request: ({ token, headers, ...opts }) =>
      app.inject({ ...opts, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }),
    async close() {
      await app.close();
      await runtime.close();
      await database.drop();
      // A key space of its own (not a prefix others share, as a cluster's apps do) goes with the app.
      if (config.redisUrl && options.redisKeyPrefix === undefined) await deleteRedisPrefix(config.redisUrl, redisKeyPrefix);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
