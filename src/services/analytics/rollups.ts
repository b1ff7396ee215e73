import { localDay, localDayRange } from '../../core/time/local-day.js';
import type { DayOf } from '../routing/call-recorder.js';
import type { Repositories } from '../../store/index.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { readSettings } from '../tenant-service.js';

const FLUSH_EVERY_MS = 500;
/** A recompute scans the day's calls, which grow with traffic: spend at most ~1/10 of the time on it. */
const FLUSH_IDLE_FACTOR = 10;
/**
 * How often the days calls were written to are recomputed whole, as a backstop for drift (a
 * crash between nothing: counts commit with their call; a time-zone change racing a write).
 * A few full scans a day: their cost per call stays a few row reads, whatever the volume.
 */
const BACKSTOP_EVERY_MS = 3 * 3_600_000;
const TZ_TTL_MS = 60_000;
const RACE_ATTEMPTS = 3;
/** Set once the days rolled up before migration 0012 (overflow and fallback counts) were marked for recounting. */
const ROUTING_RECOUNT_KEY = 'rollups.routing-counts-recounted';
/**
 * Set once the days rolled up before roll-ups were kept incrementally were recounted: from then
 * on calls add to their rows, so a row must start from the calls' true counts.
 */
const INCREMENTAL_RECOUNT_KEY = 'rollups.incremental-since';

/**
 * Keeps the daily roll-ups current. Each call write adds what it changed to its day's row in
 * its own transaction (routing/call-recorder.ts, core/stats/rollup-contribution.ts): the cost
 * per call is the same on a quiet day and a busy one. `days` gives the recorder a tenant's
 * local days. The full recompute of a day from the call records stays as the repair path:
 * days marked here (after a migration, a time-zone change, and every BACKSTOP_EVERY_MS today's
 * and yesterday's of the tenants written to) are recomputed in the background (at most every
 * FLUSH_EVERY_MS, less often when recomputing takes long). A recompute reads the day's calls
 * and rows in one snapshot and adds only their difference, unless another recompute of the
 * tenant was applied since its read (store/rollup-recompute.ts): any instance may do it, and
 * doing it twice is harmless.
 */
export function createRollups(repos: Repositories, clock: Clock, logger: Logger) {
  const dirty = new Map<string, { tenantId: number; day: string }>();
  const zones = new Map<number, { tz: string; at: number; dayOf: DayOf }>();
  /** Tenants with call writes since the last backstop. */
  const written = new Set<number>();
  let flushing: Promise<void> | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  function scheduleFlush(delayMs: number): void {
    if (closed) return;
    timer = setTimeout(() => {
      const started = performance.now();
      void flush().finally(() => scheduleFlush(Math.max(FLUSH_EVERY_MS, (performance.now() - started) * FLUSH_IDLE_FACTOR)));
    }, delayMs);
    timer.unref();
  }
  scheduleFlush(FLUSH_EVERY_MS);
  const backstop = setInterval(() => void markBackstop().catch((err: unknown) => logger.warn({ err }, 'could not mark roll-up days for the backstop recompute')), BACKSTOP_EVERY_MS);
  backstop.unref();

  /** Today's and yesterday's days (a late CDR corrects yesterday's calls) of the tenants written to, for recomputing. */
  async function markBackstop(): Promise<void> {
    const tenants = [...written];
    written.clear();
    for (const tenantId of tenants) {
      const tz = await timeZone(tenantId);
      const today = localDay(clock(), tz);
      const yesterday = localDay(localDayRange(today, tz).start - 1, tz);
      for (const day of [yesterday, today]) dirty.set(`${tenantId}:${day}`, { tenantId, day });
    }
  }
  const recounting = recountOldDays().catch((err: unknown) => logger.warn({ err }, 'could not mark the older roll-up days for recounting'));

  /**
   * Days rolled up before the overflow and fallback counts existed hold zeros there, and days
   * rolled up before calls added to them may be a moment behind: the
   * first start after either upgrade marks every stored day dirty once, and the usual flush
   * recounts them (each day replaced whole, so readers never see half a day). A fresh
   * installation has no days and only sets the mark. Two instances doing it both is harmless.
   */
  async function recountOldDays(): Promise<void> {
    const missing = [];
    for (const key of [ROUTING_RECOUNT_KEY, INCREMENTAL_RECOUNT_KEY]) if ((await repos.appMeta.get(key)) === undefined) missing.push(key);
    if (missing.length === 0) return;
    const days = await repos.callRollups.allDays();
    for (const { tenantId, day } of days) dirty.set(`${tenantId}:${day}`, { tenantId, day });
    for (const key of missing) await repos.appMeta.setIfAbsent(key, String(clock()));
    if (days.length > 0) logger.info({ days: days.length }, 'recounting older roll-up days for the overflow and fallback shares');
  }

  async function timeZone(tenantId: number): Promise<string> {
    const hit = zones.get(tenantId);
    if (hit && Date.now() - hit.at < TZ_TTL_MS) return hit.tz;
    const row = await repos.tenants.findById(tenantId);
    const tz = row ? readSettings(row).timezone : 'UTC';
    zones.set(tenantId, { tz, at: Date.now(), dayOf: (ms) => localDay(ms, tz) });
    return tz;
  }

  /** The tenant's local day of an instant, for a call write's roll-up row: no promise when the zone is cached. */
  function days(tenantId: number): DayOf | Promise<DayOf> {
    written.add(tenantId);
    const hit = zones.get(tenantId);
    if (hit && Date.now() - hit.at < TZ_TTL_MS) return hit.dayOf;
    return timeZone(tenantId).then(() => zones.get(tenantId)!.dayOf);
  }

  /**
   * True when done. Instances flush on the same period, so two may recompute the tenant's days at
   * the same moment; the one whose snapshot is stale pauses a random moment (out of step) and
   * goes again. Still racing after that, the day stays dirty for the next flush: nothing is lost.
   */
  async function recompute(tenantId: number, day: string): Promise<boolean> {
    const { start, end } = localDayRange(day, await timeZone(tenantId));
    for (let attempt = 1; ; attempt++) {
      if ((await repos.callRollups.recomputeDay(tenantId, day, start, end, clock())) === 'done') return true;
      if (attempt === RACE_ATTEMPTS) return false;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 100));
    }
  }

  async function flush(): Promise<void> {
    if (flushing) await flushing;
    if (dirty.size === 0) return;
    const batch = [...dirty.values()];
    dirty.clear();
    flushing = (async () => {
      for (const { tenantId, day } of batch) {
        const written = await recompute(tenantId, day).catch((err: unknown) => {
          logger.error({ err, tenantId, day }, 'could not recompute a daily roll-up');
          return false;
        });
        if (!written) dirty.set(`${tenantId}:${day}`, { tenantId, day });
      }
    })().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    days,
    /** Marks the local day of a call that started at `startedAt` for a full recompute (repair). */
    async markCall(tenantId: number, startedAt: number): Promise<void> {
      const day = localDay(startedAt, await timeZone(tenantId));
      dirty.set(`${tenantId}:${day}`, { tenantId, day });
    },
    /** Recomputes everything marked so far (tests, shutdown). */
    flush,
    /** Marks the backstop's days now rather than at its next period (tests). */
    markBackstop,
    /** Rebuilds all of a tenant's days, e.g. after its time zone changed. */
    async rebuildTenant(tenantId: number): Promise<void> {
      zones.delete(tenantId);
      const tz = await timeZone(tenantId);
      await repos.callRollups.deleteTenant(tenantId);
      const { first, last } = await repos.callRollups.callSpan(tenantId);
      if (first === null || last === null) return;
      for (let day = localDay(first, tz), end = localDay(last, tz); day <= end; ) {
        // Still racing after its attempts (another instance recomputing the tenant), the next flush does it.
        if (!(await recompute(tenantId, day))) dirty.set(`${tenantId}:${day}`, { tenantId, day });
        day = localDay(localDayRange(day, tz).end, tz);
      }
    },
    timeZone,
    /** Settles once the older days are marked for recounting (tests). */
    recounting,
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      clearInterval(backstop);
      await recounting;
      await flush();
    },
  };
}
export type Rollups = ReturnType<typeof createRollups>;
