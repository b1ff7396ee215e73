import { Redis } from 'ioredis';

/**
 * Deletes every key under `prefix` in the shared test Redis, in chunks. A test's own
 * key space only: ioredis does not prefix KEYS or SCAN patterns, so the match is spelled
 * out here, and suites sharing the server never touch each other's keys.
 */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => {});
  let deleted = 0;
  try {
    // A suite may have stopped its private Redis already: nothing is left to delete then.
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await client.unlink(...keys);
    } while (cursor !== '0');
  } catch {
    return deleted;
  } finally {
    client.disconnect();
  }
  return deleted;
}
