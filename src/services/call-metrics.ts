import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { OutcomeReason } from '../core/lifecycle/outcome-reason.js';

/** What the first routing of a call did (`rejected`: the voice webhook was refused before routing). */
export type DecisionResult = 'agent' | 'outbound' | 'fallback' | 'hangup' | 'error' | 'rejected';
/** Why the tenant's fallback route was used: the decision trace's reason, `all_at_capacity` split out of `no_candidate`. */
export type FallbackLabel = 'no_rule' | 'target_missing' | 'no_candidate' | 'all_at_capacity' | 'attempts_exhausted' | 'error';
export type WebhookKind = 'voice' | 'callback' | 'session_update' | 'cdr';
/** `retry`: answered 503 so Cloudonix sends it again; `error`: answered after an internal failure (fallback CXML or 500). */
export type WebhookResult = 'accepted' | 'duplicate' | 'rejected' | 'retry' | 'error';
export type ExportJobStatus = 'queued' | 'completed' | 'failed' | 'expired';
/** Plane work that failed: the failover to memory, a merge after it, a subscriber, live-state updates, a scrape's read. */
export type PlaneOperation = 'failover' | 'merge' | 'subscriber' | 'live_state' | 'scrape';
/** Database work that failed for want of the database: a request answered 503, a routed call's record held, a scrape's read. */
export type DatabaseOperation = 'request' | 'call_write' | 'routing' | 'scrape';
/** How a check of a session we never routed was answered (`unverified`: Cloudonix could not say, so the event was taken). */
export type VerificationResult = 'found' | 'missing' | 'cached_found' | 'cached_missing' | 'unverified';

/**
 * The calls as Prometheus sees them. Label values are bounded by configuration:
 * `tenant` is the tenant's domain ("unknown" for domains no tenant has), `agent` a
 * voice agent id or "none"; never a session token or a phone number. Observing is
 * synchronous and cheap: it runs on the webhook path.
 */
export interface CallMetrics {
  /** A call's first routing decision, `seconds` after the request arrived (absent for refusals). */
  decided(tenant: string, agentId: number | null, result: DecisionResult, seconds?: number): void;
  /** A call's story ended (once per call, when its end is first heard). */
  ended(tenant: string, agentId: number | null, outcome: OutcomeReason): void;
  fellBack(tenant: string, reason: FallbackLabel): void;
  /** A call moved on to another agent after one did not take it. */
  failedOver(tenant: string): void;
  webhook(kind: WebhookKind, result: WebhookResult): void;
  exportJob(status: ExportJobStatus): void;
  planeError(operation: PlaneOperation): void;
  databaseError(operation: DatabaseOperation): void;
  /** A session we never routed checked with Cloudonix (tenants with verify_unknown_sessions). */
  sessionVerified(result: VerificationResult): void;
}

/** One registry per process (per app in tests): HTTP, call and process metrics, served at /metrics. */
export interface Metrics {
  registry: Registry;
  calls: CallMetrics;
}

/** Label value of an agent id. */
const agentLabel = (agentId: number | null): string => (agentId === null ? 'none' : String(agentId));

interface Cell<N extends string> {
  labels: Record<N, string>;
  n: number;
}

/**
 * A counter whose increments are plain additions to a cell per label set, handed to
 * prom-client only when Prometheus scrapes: prom-client hashes and validates the
 * labels on every `inc` (about 1 µs), too much to pay several times per webhook.
 */
function counter<N extends string>(registry: Registry, name: string, help: string, labelNames: readonly N[]): (...values: string[]) => void {
  const cells = new Map<string, Cell<N>>();
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const c of cells.values()) this.inc(c.labels, c.n);
    },
  });
  return (...values) => {
    const key = values.join('\u0000');
    const cell = cells.get(key);
    if (cell) cell.n += 1;
    else cells.set(key, { labels: Object.fromEntries(labelNames.map((n, i) => [n, values[i] ?? ''])) as Record<N, string>, n: 1 });
  };
}

/** The call counters on `registry`; gauges read at scrape time are added by live-call-gauges.ts. */
export function createCallMetrics(registry: Registry): CallMetrics {
  const decisions = counter(registry, 'vlb_routing_decisions_total', 'First routing decisions of calls, by tenant domain, agent dialled and result', ['tenant', 'agent', 'result']);
  const ended = counter(registry, 'vlb_calls_ended_total', 'Calls whose end was heard, by tenant domain, agent (the one that answered, else the last dialled) and outcome', ['tenant', 'agent', 'outcome']);
  const fallbacks = counter(registry, 'vlb_fallbacks_total', "Calls given the tenant's fallback route (or the emergency answer), by reason", ['tenant', 'reason']);
  const failovers = counter(registry, 'vlb_failovers_total', 'Calls moved on to another agent after a dial that was not answered', ['tenant']);
  const webhooks = counter(registry, 'vlb_webhooks_total', 'Cloudonix webhooks answered, by type and result', ['type', 'result']);
  const exports = counter(registry, 'vlb_export_jobs_total', 'Call-record export jobs by the status they reached', ['status']);
  const planeErrors = counter(registry, 'vlb_plane_errors_total', 'Redis plane operations that failed, by operation', ['operation']);
  const databaseErrors = counter(registry, 'vlb_database_errors_total', 'Operations that found the database unavailable, by operation', ['operation']);
  const verifications = counter(
    registry,
    'vlb_session_verifications_total',
    'Sessions we never routed checked with Cloudonix: found, missing (refused), cached_found, cached_missing, unverified (Cloudonix could not say: taken)',
    ['result'],
  );
  const decisionSeconds = new Histogram({
    name: 'vlb_routing_decision_seconds',
    help: "Time to decide a call's first routing (rule, candidates, live-slot claim), before its record is written",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  return {
    decided(tenant, agentId, result, seconds) {
      decisions(tenant, agentLabel(agentId), result);
      if (seconds !== undefined) decisionSeconds.observe(seconds);
    },
    ended: (tenant, agentId, outcome) => ended(tenant, agentLabel(agentId), outcome),
    fellBack: (tenant, reason) => fallbacks(tenant, reason),
    failedOver: (tenant) => failovers(tenant),
    webhook: (kind, result) => webhooks(kind, result),
    exportJob: (status) => exports(status),
    planeError: (operation) => planeErrors(operation),
    databaseError: (operation) => databaseErrors(operation),
    sessionVerified: (result) => verifications(result),
  };
}

/** A fresh registry with the process's default metrics and the call counters. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return { registry, calls: createCallMetrics(registry) };
}
