import { createHash } from 'node:crypto';
import { normalizeDigits } from '../core/routing/phone-number.js';
import type { GroupSettings } from '../core/schemas/agent-group.js';
import type { CallerMemory } from '../core/strategies/prefer-returning-caller.js';
import type { Eventually } from '../core/eventually.js';
import type { RoutingPlane } from '../plane/plane.js';
import { planeKeys } from './plane-keys.js';

const MINUTE_MS = 60_000;

/** Where one caller's memory in one group lives in the plane, and how long it counts. */
export interface CallerMemoryKeys {
  /** The agent the group last sent the caller to, then when: read as plane times, in this order. */
  readonly keys: readonly [agent: string, servedAt: string];
  readonly ttlMs: number;
}

/**
 * The caller's number as a plane key part: digits only (so `+1 (212) …` and
 * `1212…` are one caller), hashed so the plane holds no phone numbers.
 */
function callerKeyPart(digits: string): string {
  return createHash('sha256').update(digits).digest('base64url').slice(0, 22);
}

/**
 * The plane keys of a caller's memory in a group, or null when the group does not
 * prefer returning callers or the caller has no number (anonymous): then the
 * decision reads nothing more.
 */
export function callerMemoryKeys(tenantId: number, groupId: number, settings: GroupSettings, from: string | null | undefined): CallerMemoryKeys | null {
  const returning = settings.returning_callers;
  if (!returning?.enabled) return null;
  const digits = normalizeDigits(from);
  if (digits === '') return null;
  const caller = callerKeyPart(digits);
  return {
    keys: [planeKeys.callerLastAgent(tenantId, groupId, caller), planeKeys.callerLastServedAt(tenantId, groupId, caller)],
    ttlMs: returning.ttl_minutes * MINUTE_MS,
  };
}

/** The caller's memory from the two plane times read at `callerMemoryKeys(...).keys`. */
export function callerMemoryOf(times: readonly (number | null)[]): CallerMemory {
  return { agentId: times[0] ?? null, servedAt: times[1] ?? null };
}

/**
 * Remembers that the group sent this caller to `agentId` at `now`; the plane forgets
 * it after the TTL (the decision also checks the time against its own clock, so a
 * TTL shortened later applies at once).
 */
export function rememberCaller(plane: RoutingPlane, memory: CallerMemoryKeys, agentId: number, now: number): Eventually<void> {
  const [agentKey, servedAtKey] = memory.keys;
  // The plane's times hold numbers: the agent id is kept as one, beside when it served.
  const stored = [plane.setTime(agentKey, agentId, memory.ttlMs), plane.setTime(servedAtKey, now, memory.ttlMs)];
  return stored.some((s) => s instanceof Promise) ? Promise.all(stored).then(() => undefined) : undefined;
}
