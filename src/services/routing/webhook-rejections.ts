import {
  judgeRejection,
  SUPPRESSED_OUTCOME,
  type RejectedOutcome,
  type RejectionCounts,
  type RejectionLimits,
} from '../../core/webhook-rejection.js';
import { createMemoryPlane } from '../../plane/memory-plane.js';
import type { Plane } from '../../plane/plane.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { planeKeys } from '../plane-keys.js';
import type { WebhookAuditEntry } from './webhook-audit-writer.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Sources named one by one in a summary row; the rest are counted together. */
const SOURCES_PER_SUMMARY = 10;
/** Sources tracked per summary while counting; beyond it they only add to `other_sources`. */
const SOURCES_TRACKED = 200;
const SUMMARY_EVERY_MS = 15_000;
const PLANE_ERROR_LOG_EVERY_MS = 60_000;

/** A refused webhook, as the HTTP layer saw it. */
export interface Rejection {
  /** The counted address (see core `sourceOf`). */
  source: string;
  /** Null for a domain no tenant has. */
  tenantId: number | null;
  outcome: RejectedOutcome;
  eventType: string;
  method: string;
  /** Masked, as the audit stores it. */
  path: string;
  statusCode: number;
}

export interface RejectionVerdict {
  limited: boolean;
  /** Whole seconds until the minute the counts belong to is over. */
  retryAfterSeconds: number;
  /** Store this request's audit row; otherwise it is counted in the minute's summary row. */
  audit: boolean;
}

/** What one tenant (or the unknown domains) had suppressed of one webhook type in one minute. */
interface Tally {
  tenantId: number | null;
  eventType: string;
  minute: number;
  count: number;
  lastAt: number;
  firstPath: string;
  methods: Set<string>;
  outcomes: Map<string, number>;
  statuses: Map<number, number>;
  sources: Map<string, number>;
  otherSources: number;
}

const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
const largest = <K>(map: Map<K, number>): K | undefined => [...map].sort((a, b) => b[1] - a[1])[0]?.[0];

function summaryRow(t: Tally): WebhookAuditEntry & { received_at: number } {
  const sources = [...t.sources].sort((a, b) => b[1] - a[1]);
  const named = Object.fromEntries(sources.slice(0, SOURCES_PER_SUMMARY));
  const others = sources.slice(SOURCES_PER_SUMMARY).reduce((n, [, c]) => n + c, 0) + t.otherSources;
  const addresses = t.otherSources > 0 ? `more than ${sources.length} addresses` : sources.length === 1 ? 'one address' : `${sources.length} addresses`;
  const outcomes = Object.fromEntries(t.outcomes);
  const outcomeWords = [...t.outcomes].map(([o, n]) => `${o} ×${n}`).join(', ');
  return {
    tenant_id: t.tenantId,
    event_type: t.eventType,
    method: t.methods.size === 1 ? [...t.methods][0]! : '*',
    path: t.firstPath,
    session_token: null,
    outcome: SUPPRESSED_OUTCOME,
    status_code: largest(t.statuses) ?? 0,
    error: `${t.count} refused ${t.count === 1 ? 'request' : 'requests'} (${outcomeWords}) from ${addresses} in this minute counted, not stored one by one.`.slice(0, 1000),
    payload: JSON.stringify({
      suppressed: t.count,
      minute_start: new Date(t.minute * MINUTE).toISOString(),
      outcomes,
      status_codes: Object.fromEntries(t.statuses),
      sources: named,
      other_sources: others,
    }),
    duration_ms: null,
    received_at: t.lastAt,
  };
}

interface Deps {
  plane: Plane;
  /** Where summary rows go: the webhook audit writer's `record`. */
  writeAudit: (entry: WebhookAuditEntry, receivedAt: number) => void;
  limits: RejectionLimits;
  clock: Clock;
  logger: Logger;
}

/**
 * Counts refused webhooks per source address and per tenant in the plane, so the
 * limits hold across instances; while the plane is unreachable each instance counts
 * on its own, so the limits stay on. Decides which refusals get an audit row and
 * writes, per tenant, webhook type and minute, one row counting the rest.
 */
export function createWebhookRejections({ plane, writeAudit, limits, clock, logger }: Deps) {
  const local = createMemoryPlane();
  const tallies = new Map<string, Tally>();
  let planeErrors = 0;
  let lastPlaneErrorLog = 0;
  const timer = setInterval(() => writeSummaries(false), SUMMARY_EVERY_MS);
  timer.unref();

  async function countOn(p: Plane, r: Rejection, scope: string, now: number): Promise<RejectionCounts> {
    const bySource = planeKeys.rejectionsBySource(r.source);
    const byTenant = planeKeys.rejectionsByTenant(scope);
    await Promise.all([p.windowAdd(bySource, now, MINUTE, MINUTE), p.windowAdd(byTenant, now, MINUTE, MINUTE)]);
    const [[source = 0, tenant = 0], [auditedThisHour = 0]] = await Promise.all([
      p.windowCounts([bySource, byTenant], now, now, MINUTE),
      p.windowCounts([planeKeys.rejectionsAudited(scope)], now, now, HOUR),
    ]);
    return { source, tenant, auditedThisHour };
  }

  function planeFailed(err: unknown, now: number): void {
    planeErrors += 1;
    // One line a minute with a count, not one per refused request of a flood.
    if (now - lastPlaneErrorLog >= PLANE_ERROR_LOG_EVERY_MS) {
      logger.warn({ err, failures: planeErrors }, 'counting refused webhooks on this instance only: the plane is unreachable');
      lastPlaneErrorLog = now;
      planeErrors = 0;
    }
  }

  function tally(r: Rejection, now: number): void {
    const minute = Math.floor(now / MINUTE);
    const key = `${minute}|${r.tenantId ?? 'unknown'}|${r.eventType}`;
    let t = tallies.get(key);
    if (!t) {
      t = { tenantId: r.tenantId, eventType: r.eventType, minute, count: 0, lastAt: now, firstPath: r.path, methods: new Set(), outcomes: new Map(), statuses: new Map(), sources: new Map(), otherSources: 0 };
      tallies.set(key, t);
    }
    t.count += 1;
    t.lastAt = now;
    t.methods.add(r.method);
    bump(t.outcomes, r.outcome);
    bump(t.statuses, r.statusCode);
    if (t.sources.has(r.source) || t.sources.size < SOURCES_TRACKED) bump(t.sources, r.source);
    else t.otherSources += 1;
  }

  /** Writes the summary rows of minutes that are over (all of them when `all`). */
  function writeSummaries(all: boolean): void {
    const current = Math.floor(clock() / MINUTE);
    for (const [key, t] of tallies) {
      if (!all && t.minute >= current) continue;
      tallies.delete(key);
      const { received_at, ...row } = summaryRow(t);
      writeAudit(row, received_at);
    }
  }

  return {
    /**
     * Counts a refused webhook and says whether to answer 429 and whether to store it.
     * `statusCode` is the refusal's own (401, 404, 422); a limited one is stored as 429.
     */
    async note(r: Rejection): Promise<RejectionVerdict> {
      const now = clock();
      const scope = r.tenantId === null ? 'unknown' : String(r.tenantId);
      let counted: { counts: RejectionCounts; on: Plane };
      try {
        counted = { counts: await countOn(plane, r, scope, now), on: plane };
      } catch (err) {
        planeFailed(err, now);
        counted = { counts: await countOn(local, r, scope, now), on: local };
      }
      const judged = judgeRejection(r.outcome, counted.counts, limits);
      const retryAfterSeconds = Math.max(1, Math.ceil(((Math.floor(now / MINUTE) + 1) * MINUTE - now) / 1000));
      if (judged.audit) {
        await counted.on.windowAdd(planeKeys.rejectionsAudited(scope), now, HOUR, HOUR).catch((err: unknown) => planeFailed(err, now));
      } else {
        tally(Object.assign({}, r, { statusCode: judged.limited ? 429 : r.statusCode }), now);
      }
      return Object.assign({}, judged, { retryAfterSeconds });
    },
    /** Writes every pending summary row now (tests and shutdown). */
    flushSummaries(): void {
      writeSummaries(true);
    },
    async close(): Promise<void> {
      clearInterval(timer);
      writeSummaries(true);
      await local.close();
    },
  };
}
export type WebhookRejections = ReturnType<typeof createWebhookRejections>;
