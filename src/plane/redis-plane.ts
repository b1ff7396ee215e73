import type { Redis } from 'ioredis';
import type { Plane } from './plane.js';

/** The scaled-mode plane: state shared by every instance through one Redis. */
export function createRedisPlane(redis: Redis): Plane {
  return {
    kind: 'redis',
    async ping() {
      const started = performance.now();
      await redis.ping();
      return performance.now() - started;
    },
    async close() {
      // The connection belongs to the composition root, which closes it.
    },
  };
}
