import type { AlertObservations, AtCap } from '../../core/alerts/alert-conditions.js';
import { fallbackOutcomeReasons } from '../../core/lifecycle/outcome-reason.js';
import type { AlertSettings } from '../../core/schemas/alert.js';
import type { Plane } from '../../plane/plane.js';
import type { Repositories } from '../../store/index.js';
import type { AgentHealth } from '../agent-health.js';
import type { OccupancyService } from '../occupancy-service.js';

/** How long "at its cap since" is kept for an agent: longer than any at-cap threshold. */
const AT_CAP_RETAIN_MS = 2 * 24 * 3600_000;
/** Calls younger than this are not yet expected to have sent a session update or CDR. */
const WIRING_GRACE_MS = 2 * 60_000;

const atCapSinceKey = (tenantId: number, kind: AtCap['kind'], id: number) => `t:${tenantId}:${kind === 'pool_at_cap' ? 'p' : 'a'}:${id}:alerts:at-cap-since`;

interface Deps {
  repos: Repositories;
  plane: Plane;
  agentHealth: AgentHealth;
  occupancy: OccupancyService;
}

/**
 * Reads what the alert conditions need for one tenant at `now`, off the call path: agent
 * health and live calls from the plane, and counts over (tenant, time) ranges of call records and
 * the webhook audit read from their indexes alone (a synchronous read on the event loop with
 * SQLite). Nothing here runs per call.
 */
export function createAlertObserver({ repos, plane, agentHealth, occupancy }: Deps) {
  /**
   * Agents and provider pools at their cap now, with since when: the first evaluation that saw
   * each at its cap stores the time in the plane (every instance reads the same), and one that
   * sees it below clears it, so "at its cap for N minutes" means every look in that time found it so.
   */
  async function atCap(tenantId: number, now: number): Promise<AtCap[]> {
    const view = await occupancy.read(tenantId);
    const subjects = [
      ...view.agents.filter((a) => a.enabled && a.max_concurrent_calls !== null).map((a) => ({ kind: 'agent_at_cap' as const, id: a.agent_id, full: a.at_capacity, live: a.live_calls, cap: a.max_concurrent_calls ?? 0 })),
      ...view.pools.map((p) => ({ kind: 'pool_at_cap' as const, id: p.pool_id, full: p.at_capacity, live: p.live_calls, cap: p.max_concurrent_calls })),
    ];
    if (subjects.length === 0) return [];
    const keys = subjects.map((x) => atCapSinceKey(tenantId, x.kind, x.id));
    const since = await plane.getTimes(keys);
    const out: AtCap[] = [];
    const writes: Promise<void>[] = [];
    subjects.forEach((x, i) => {
      const known = since[i] ?? null;
      if (x.full) {
        const from = known !== null && known > 0 ? known : now;
        if (from === now) writes.push(plane.setTime(keys[i]!, now, AT_CAP_RETAIN_MS));
        out.push({ kind: x.kind, subjectId: x.id, since: from, liveCalls: x.live, cap: x.cap });
      } else if (known !== null && known > 0) {
        writes.push(plane.setTime(keys[i]!, 0, 1000));
      }
    });
    await Promise.all(writes);
    return out;
  }

  return {
    async observe(tenantId: number, s: AlertSettings, now: number): Promise<AlertObservations> {
      const agentRows = await repos.voiceAgents.listAll(tenantId);
      const ids = agentRows.map((a) => Number(a.id));
      const wiringTo = now - WIRING_GRACE_MS;
      const wiringFrom = now - s.wiring_window_minutes * 60_000;
      // Whether any session update or CDR came is the newest one's time: one index entry, not a count of the window.
      const seen = async (type: string) => (await repos.webhookAudit.lastAccepted(tenantId, type, wiringFrom, now + 1)) !== null;
      const [until, atCapNow, shares, wiringCalls, sessionUpdateSeen, cdrSeen, errors] = await Promise.all([
        agentHealth.unhealthyUntil(tenantId, ids),
        atCap(tenantId, now),
        repos.alerts.callShares(tenantId, now - s.fallback_window_minutes * 60_000, now + 1, fallbackOutcomeReasons),
        repos.alerts.callShares(tenantId, wiringFrom, wiringTo, fallbackOutcomeReasons),
        seen('session_update'),
        seen('cdr'),
        repos.alerts.webhookErrors(tenantId, now - s.webhook_errors_window_minutes * 60_000, now + 1),
      ]);
      return {
        now,
        agentsDown: ids.flatMap((agentId, i) => (until[i] != null ? [{ agentId, until: until[i] }] : [])),
        atCap: atCapNow,
        calls: { total: shares.total, fallback: shares.fallback },
        wiring: { routed: wiringCalls.routed, sessionUpdateSeen, cdrSeen },
        webhookErrors: errors,
      };
    },
  };
}
export type AlertObserver = ReturnType<typeof createAlertObserver>;
