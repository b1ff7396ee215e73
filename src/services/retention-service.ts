import { defaultTenantSettings } from '../core/schemas/tenant.js';
import type { Plane } from '../plane/plane.js';
import type { Store } from '../store/database.js';
import { createRetentionStore } from '../store/retention.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { readSettings } from './tenant-service.js';

const DAY_MS = 86_400_000;
/** One instance of a cluster runs the daily purge: whoever takes this plane lock. */
export const RETENTION_LOCK_KEY = 'retention:daily';

interface Deps {
  store: Store;
  plane: Plane;
  clock: Clock;
  logger: Logger;
  /** Rows per DELETE: small enough that webhooks waiting on the database are answered between batches. */
  batchSize?: number;
}

/** What one purge removed for one tenant. `tenantId` null: webhooks no tenant could be found for. */
export interface RetentionCounts {
  tenantId: number | null;
  domain: string | null;
  days: number;
  call_records: number;
  call_events: number;
  cdrs: number;
  webhook_audit: number;
  /** Alerts resolved before the cutoff (open ones are kept). */
  alerts: number;
  /** Set when this tenant's purge failed part-way; the others still ran. */
  error?: string;
}

export interface DailyScheduleOptions {
  /** Delay of the first attempt after start, so a restart storm does not purge at once. */
  firstRunAfterMs?: number;
  /** How often an instance checks whether the day's purge is due. */
  checkEveryMs?: number;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Keeps each tenant's traffic data for its `retention_days` (0 = forever): call
 * records (by start, with their events), CDRs and webhook audit rows (by receipt), and
 * resolved alerts (by when they resolved).
 */
export function createRetentionService({ store, plane, clock, logger, batchSize = 500 }: Deps) {
  const rows = createRetentionStore(store);

  /** Runs `step` until it removes less than a full batch, yielding between batches. */
  async function drain(step: () => Promise<number>, signal: AbortSignal | undefined): Promise<number> {
    let total = 0;
    while (!signal?.aborted) {
      const removed = await step();
      total += removed;
      if (removed < batchSize) break;
      // Lets queued webhook requests run between two DELETEs.
      await yieldToEventLoop();
    }
    return total;
  }

  async function purgeTenant(counts: RetentionCounts, before: number, signal: AbortSignal | undefined): Promise<void> {
    const tenantId = counts.tenantId;
    if (tenantId !== null) {
      counts.call_records = await drain(async () => {
        const r = await rows.purgeCallRecords(tenantId, before, batchSize);
        counts.call_events += r.callEvents;
        return r.callRecords;
      }, signal);
      counts.cdrs = await drain(() => rows.purgeCdrs(tenantId, before, batchSize), signal);
      counts.alerts = await drain(() => rows.purgeResolvedAlerts(tenantId, before, batchSize), signal);
    }
    counts.webhook_audit = await drain(() => rows.purgeWebhookAudit(tenantId, before, batchSize), signal);
  }

  /**
   * One purge over every tenant whose retention_days is above 0. A failure in one
   * tenant is logged and reported in its counts; the others still run.
   */
  async function runOnce({ now = clock(), signal }: { now?: number; signal?: AbortSignal } = {}): Promise<RetentionCounts[]> {
    const results: RetentionCounts[] = [];
    const targets: { tenantId: number | null; domain: string | null; days: number }[] = [];
    for (const row of await rows.listTenants()) {
      const days = readSettings(row).retention_days;
      if (days > 0) targets.push({ tenantId: Number(row.id), domain: row.domain, days });
    }
    // Requests for unknown domains belong to nobody's settings; anyone can send them, so they get the default.
    targets.push({ tenantId: null, domain: null, days: defaultTenantSettings.retention_days });
    for (const target of targets) {
      if (signal?.aborted) break;
      const counts: RetentionCounts = { ...target, call_records: 0, call_events: 0, cdrs: 0, webhook_audit: 0, alerts: 0 };
      try {
        await purgeTenant(counts, now - target.days * DAY_MS, signal);
      } catch (err) {
        logger.error({ err, tenantId: target.tenantId }, 'retention purge failed for a tenant');
        counts.error = err instanceof Error ? err.message : String(err);
      }
      results.push(counts);
      await yieldToEventLoop();
    }
    return results;
  }

  /**
   * Starts the daily purge of a serving process and returns its stop function.
   * Every check tries the plane lock; its time-to-live of almost a day makes the
   * purge run about once a day across all instances, whichever holds it.
   */
  function startDaily({ firstRunAfterMs = 5 * 60_000, checkEveryMs = 60 * 60_000 }: DailyScheduleOptions = {}): () => Promise<void> {
    const abort = new AbortController();
    let running: Promise<void> | null = null;
    let interval: NodeJS.Timeout | undefined;

    async function attempt(): Promise<void> {
      let token: string | null = null;
      try {
        token = await plane.tryLock(RETENTION_LOCK_KEY, Math.max(checkEveryMs, DAY_MS - checkEveryMs));
        if (!token) return;
        const started = clock();
        const results = await runOnce({ signal: abort.signal });
        logger.info({ tenants: results.filter((r) => r.call_records + r.cdrs + r.webhook_audit + r.alerts > 0), ms: clock() - started }, 'retention purge done');
        if (results.some((r) => r.error)) throw new Error('retention purge failed for some tenants');
        if (abort.signal.aborted) throw new Error('retention purge stopped by shutdown');
      } catch (err) {
        logger.warn({ err }, 'retention purge did not complete; it will be tried again');
        // Let the next check (here or on another instance) try again rather than wait a day.
        if (token) await plane.unlock(RETENTION_LOCK_KEY, token).catch(() => false);
      }
    }
    const tick = () => {
      if (running || abort.signal.aborted) return;
      running = attempt().finally(() => {
        running = null;
      });
    };

    const first = setTimeout(() => {
      tick();
      interval = setInterval(tick, checkEveryMs);
      interval.unref();
    }, firstRunAfterMs);
    first.unref();

    return async () => {
      abort.abort();
      clearTimeout(first);
      if (interval) clearInterval(interval);
      // A purge in progress stops after its current batch, before the database closes.
      await running;
    };
  }

  return { runOnce, startDaily };
}
export type RetentionService = ReturnType<typeof createRetentionService>;
