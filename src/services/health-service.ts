import type { Plane } from '../plane/plane.js';
import type { Store } from '../store/database.js';
import { pendingMigrations } from '../store/migrate.js';
import type { DrainState } from './drain-state.js';
import type { Logger } from './logger.js';
import { createRepeatedLog } from './repeated-log.js';

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

/**
 * Whether a load balancer should send this instance traffic: `ready` when the database
 * answers and has every migration this build needs; `draining` once shutdown has begun
 * (see drain-state.ts); `down` otherwise. Redis being away does not count, for the reason
 * given on HealthReport: its check is reported, never decisive.
 */
export interface ReadinessReport {
  status: 'ready' | 'draining' | 'down';
  checks: Record<string, ComponentHealth>;
}

const CHECK_TIMEOUT_MS = 2000;

/** A failure whose message is meant for whoever asks (no host, port or driver text in it). */
class PublicCheckFailure extends Error {}

/**
 * Runs one probe within the timeout. These answers are public (load balancers ask without
 * credentials), so a driver's message, which can name hosts, ports and users, goes to the
 * log and the answer says only `unreachable`.
 */
async function check(probe: () => Promise<number>, onHiddenError: (err: unknown) => void): Promise<ComponentHealth> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const latency = await Promise.race([
      probe(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new PublicCheckFailure(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'ok', latency_ms: Math.round(latency * 100) / 100 };
  } catch (err) {
    if (err instanceof PublicCheckFailure) return { status: 'down', latency_ms: null, error: err.message };
    onHiddenError(err);
    return { status: 'down', latency_ms: null, error: 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

/** Reachability of the parts a request depends on (the database always, Redis when configured), and readiness. */
export function createHealthService(store: Store, plane: Plane, drain: DrainState, logger: Logger) {
  // Probes come every second or so from each load balancer: an outage is a few lines, not one per probe.
  const repeated = createRepeatedLog(logger);
  const logged = (component: string) => (err: unknown) => repeated.warn(`health check: ${component} unreachable`, { err });
  // Applied migrations stay applied: once complete, the check is not asked again (it reads the schema).
  let migrationsComplete = false;
  async function migrations(): Promise<ComponentHealth> {
    if (migrationsComplete) return { status: 'ok', latency_ms: null };
    const result = await check(async () => {
      const started = performance.now();
      const pending = await pendingMigrations(store);
      if (pending.length > 0) throw new PublicCheckFailure(`${pending.length} migration(s) not applied: run voice-lb migrate`);
      return performance.now() - started;
    }, logged('migrations'));
    migrationsComplete = result.status === 'ok';
    return result;
  }

  async function report(): Promise<HealthReport> {
    const checks: Record<string, ComponentHealth> = { database: await check(() => store.ping(), logged('database')) };
    if (plane.kind === 'redis') checks.redis = await check(() => plane.ping(), logged('redis'));
    const status = checks.database!.status === 'down' ? 'down' : checks.redis?.status === 'down' || plane.degraded ? 'degraded' : 'ok';
    return { status, checks };
  }

  return {
    report,
    async readiness(): Promise<ReadinessReport> {
      // Draining answers at once, without asking anything: the load balancer only needs the 503.
      if (drain.draining) return { status: 'draining', checks: {} };
      const { checks } = await report();
      if (checks.database!.status === 'ok') checks.migrations = await migrations();
      const ready = checks.database!.status === 'ok' && checks.migrations?.status === 'ok';
      // Shutdown may have begun while the checks ran.
      return { status: drain.draining ? 'draining' : ready ? 'ready' : 'down', checks };
    },
  };
}
export type HealthService = ReturnType<typeof createHealthService>;
