import type { Plane } from '../plane/plane.js';
import type { Store } from '../store/database.js';

export interface ComponentHealth {
  status: 'ok' | 'down';
  latency_ms: number | null;
  error?: string;
}

export interface HealthReport {
  /**
   * `down` when the database is unreachable; `degraded` when only Redis is: every instance
   * shares it, and each keeps routing from its own memory meanwhile, so taking instances
   * out of a load balancer for it would only turn a degraded service into none.
   */
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, ComponentHealth>;
}

const CHECK_TIMEOUT_MS = 2000;

async function check(probe: () => Promise<number>): Promise<ComponentHealth> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const latency = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'ok', latency_ms: Math.round(latency * 100) / 100 };
  } catch (err) {
    return { status: 'down', latency_ms: null, error: err instanceof Error ? err.message : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

/** Reachability of the parts a request depends on: the database always, Redis when configured. */
export function createHealthService(store: Store, plane: Plane) {
  return {
    async report(): Promise<HealthReport> {
      const checks: Record<string, ComponentHealth> = { database: await check(() => store.ping()) };
      if (plane.kind === 'redis') checks.redis = await check(() => plane.ping());
      const status = checks.database!.status === 'down' ? 'down' : checks.redis?.status === 'down' || plane.degraded ? 'degraded' : 'ok';
      return { status, checks };
    },
  };
}
export type HealthService = ReturnType<typeof createHealthService>;
