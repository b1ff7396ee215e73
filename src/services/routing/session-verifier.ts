import type { Plane } from '../../plane/plane.js';
import type { VerificationResult } from '../call-metrics.js';
import type { CloudonixSession } from '../cloudonix/cloudonix-api.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { SLOT_BACKSTOP_MS } from '../distribution-service.js';
import { changedTenantOf, TENANT_CHANGED } from './tenant-directory.js';

/**
 * Asks Cloudonix for one of a tenant's sessions: the session, null when Cloudonix has
 * none, undefined when the tenant has no Cloudonix connection. Throws when Cloudonix
 * cannot say (unreachable, rate limited, key refused).
 */
export type FindSession = (tenantId: number, sessionToken: string) => Promise<CloudonixSession | null | undefined>;

/** found: Cloudonix has it; missing: it has not; unverified: it could not say, so the event is taken (fail open). */
export type SessionCheck = 'found' | 'missing' | 'unverified';

/** A session Cloudonix has is remembered as long as a call may last (the live slots' backstop)... */
export const FOUND_TTL_MS = SLOT_BACKSTOP_MS;
/** ...one it has not only briefly: it may still be about to start, and a retry should be asked again. */
export const MISSING_TTL_MS = 60_000;
/** Answers remembered per instance; the oldest go first beyond it. */
const MAX_CACHED = 10_000;
/** Longest a webhook waits for Cloudonix before it is taken unverified (the answer still fills the cache). */
const WAIT_MS = 3_000;
/** After Cloudonix could not answer, a tenant's unknown sessions are taken unverified, without asking, this long. */
const PAUSE_MS = 10_000;
const BUDGET_WINDOW_MS = 10_000;

interface Deps {
  find: FindSession;
  plane: Plane;
  clock: Clock;
  logger: Logger;
  count: (result: VerificationResult) => void;
  /**
   * Checks one instance starts per tenant in 10 s: half of what we send a domain (Cloudonix allows
   * 10 per 10 s), so a burst of unknown sessions never takes the budget setup and call control need.
   */
  checksPer10s: number;
}

interface TenantState {
  /** Start times of the checks of the last BUDGET_WINDOW_MS. */
  started: number[];
  pausedUntil: number;
  /** A run of failures to verify, logged once when it starts and once when it ends. */
  burst: { since: number; accepted: number } | null;
}

/**
 * Verification of sessions we never routed (a tenant's opt-in, verify_unknown_sessions):
 * asks Cloudonix whether it has the session before its update or CDR is stored. Answers
 * are cached per instance (found for as long as a call may last, missing briefly) and
 * dropped when the tenant changes (TENANT_CHANGED, as the tenant directory does), so a
 * new key or switching the option off takes effect on every instance at once. When
 * Cloudonix cannot answer the event is taken: nothing Cloudonix sends is lost.
 */
export function createSessionVerifier({ find, plane, clock, logger, count, checksPer10s }: Deps) {
  const answers = new Map<string, { found: boolean; until: number }>();
  const asking = new Map<string, Promise<SessionCheck>>();
  const tenants = new Map<number, TenantState>();
  let unsubscribe: (() => Promise<void>) | undefined;

  const keyOf = (tenantId: number, token: string) => `${tenantId}:${token}`;

  function stateOf(tenantId: number): TenantState {
    let s = tenants.get(tenantId);
    if (!s) {
      if (tenants.size > MAX_CACHED) tenants.clear();
      s = { started: [], pausedUntil: 0, burst: null };
      tenants.set(tenantId, s);
    }
    return s;
  }

  function remember(key: string, found: boolean): void {
    answers.delete(key);
    if (answers.size >= MAX_CACHED) answers.delete(answers.keys().next().value!);
    answers.set(key, { found, until: clock() + (found ? FOUND_TTL_MS : MISSING_TTL_MS) });
  }

  function forgetTenant(tenantId: number | null): void {
    if (tenantId === null) {
      answers.clear();
      tenants.clear();
      return;
    }
    const prefix = `${tenantId}:`;
    for (const key of answers.keys()) if (key.startsWith(prefix)) answers.delete(key);
    tenants.delete(tenantId);
  }

  /** Cloudonix could not say (`why`), or this instance may not ask now (null): a run of these is logged once, when it starts. */
  function couldNotAsk(tenantId: number, s: TenantState, why: string | null): 'unverified' {
    const now = clock();
    if (why !== null) s.pausedUntil = now + PAUSE_MS;
    if (!s.burst) {
      s.burst = { since: now, accepted: 0 };
      logger.warn({ tenantId, reason: why ?? "over this instance's share of the Cloudonix rate limit" }, 'accepting session updates and CDRs of unknown sessions without verification: Cloudonix could not be asked');
    }
    return 'unverified';
  }

  function answered(tenantId: number, s: TenantState): void {
    if (!s.burst) return;
    logger.info({ tenantId, accepted: s.burst.accepted, seconds: Math.round((clock() - s.burst.since) / 1000) }, 'verifying unknown sessions with Cloudonix again');
    s.burst = null;
  }

  /** Cloudonix's answer, cached and counted; 'unverified' when it could not give one. */
  async function ask(tenantId: number, token: string, key: string, s: TenantState): Promise<SessionCheck> {
    let session: CloudonixSession | null | undefined;
    try {
      session = await find(tenantId, token);
    } catch (err) {
      return couldNotAsk(tenantId, s, err instanceof Error ? err.message : 'Cloudonix failed');
    }
    if (session === undefined) return couldNotAsk(tenantId, s, 'the tenant has no Cloudonix connection');
    answered(tenantId, s);
    remember(key, session !== null);
    count(session !== null ? 'found' : 'missing');
    return session !== null ? 'found' : 'missing';
  }

  /** Cloudonix's answer, or 'unverified' when it takes longer than WAIT_MS (the answer still fills the cache). */
  async function askWithin(tenantId: number, token: string, key: string, s: TenantState): Promise<SessionCheck> {
    let answer = asking.get(key);
    if (!answer) {
      answer = ask(tenantId, token, key, s).finally(() => asking.delete(key));
      asking.set(key, answer);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<SessionCheck>((resolve) => {
      timer = setTimeout(() => resolve(couldNotAsk(tenantId, s, `Cloudonix did not answer within ${WAIT_MS / 1000} s`)), WAIT_MS);
      timer.unref();
    });
    return Promise.race([answer, late]).finally(() => clearTimeout(timer));
  }

  function decide(tenantId: number, token: string, s: TenantState): Promise<SessionCheck> | SessionCheck {
    const key = keyOf(tenantId, token);
    if (asking.has(key)) return askWithin(tenantId, token, key, s);
    const now = clock();
    if (s.pausedUntil > now) return couldNotAsk(tenantId, s, null);
    s.started = s.started.filter((at) => now - at < BUDGET_WINDOW_MS);
    if (s.started.length >= checksPer10s) return couldNotAsk(tenantId, s, null);
    s.started.push(now);
    return askWithin(tenantId, token, key, s);
  }

  return {
    async start(): Promise<void> {
      unsubscribe = await plane.subscribe(TENANT_CHANGED, (message) => forgetTenant(changedTenantOf(message)));
    },
    async stop(): Promise<void> {
      await unsubscribe?.().catch((err: unknown) => logger.warn({ err }, 'could not unsubscribe while stopping'));
    },
    /** Whether Cloudonix has the session; at most WAIT_MS, never throws. Each event taken unverified is counted. */
    async check(tenantId: number, token: string): Promise<SessionCheck> {
      const hit = answers.get(keyOf(tenantId, token));
      if (hit && hit.until > clock()) {
        count(hit.found ? 'cached_found' : 'cached_missing');
        return hit.found ? 'found' : 'missing';
      }
      const s = stateOf(tenantId);
      const result = await decide(tenantId, token, s);
      if (result === 'unverified') {
        count('unverified');
        if (s.burst) s.burst.accepted += 1;
      }
      return result;
    },
    /** Forgets a tenant's answers on this instance (the TENANT_CHANGED message does it everywhere). */
    forget: forgetTenant,
  };
}
export type SessionVerifier = ReturnType<typeof createSessionVerifier>;
