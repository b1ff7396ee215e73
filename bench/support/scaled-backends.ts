import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';

/**
 * Runs `work` against a fresh MariaDB database (it must be a vlbt_* one: it is
 * dropped before and after) and an emptied Redis database, with the environment
 * a scaled service needs (DATA_DIR, DATABASE_URL, REDIS_URL, APP_KEY).
 */
export async function withScaledBackends<T>(mysqlUrl: string, redisUrl: string, work: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const dbName = new URL(mysqlUrl).pathname.slice(1);
  if (!/^vlbt_\w+$/.test(dbName)) throw new Error(`BENCH_MYSQL_URL must name a vlbt_* database (got "${dbName}")`);
  const admin = await mysql.createConnection({ uri: mysqlUrl.replace(`/${dbName}`, '/') });
  await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
  await admin.query(`CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // A benchmark may stop Redis on purpose (bench/redis-outage.ts): this client only flushes it.
  redis.on('error', () => {});
  await redis.connect();
  await redis.flushdb();
  const dataDir = mkdtempSync(join(tmpdir(), 'vlb-bench-'));
  try {
    return await work({ DATA_DIR: dataDir, DATABASE_URL: mysqlUrl, REDIS_URL: redisUrl, APP_KEY: randomBytes(32).toString('hex') });
  } finally {
    await redis.flushdb();
    redis.disconnect();
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
