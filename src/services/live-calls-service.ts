import { AppError } from '../core/errors.js';
import type { Actor } from '../core/principal.js';
import { liveStates } from '../core/routing/call-state.js';
import { defaultTenantSettings } from '../core/schemas/tenant.js';
import type { CallStatsView, EndCallResult, LiveCallView, LiveCallsQuery } from '../core/schemas/call-records.js';
import { localDay } from '../core/time/local-day.js';
import type { NamedCallRecordRow } from '../store/call-records.js';
import type { Repositories } from '../store/index.js';
import { tenantTimeZone } from './call-records-service.js';
import type { Clock } from './clock.js';
import type { EndLiveCall } from './end-live-call.js';
import { readSettings } from './tenant-service.js';
import { isoTime } from './views.js';

interface Deps {
  repos: Repositories;
  clock: Clock;
  /** Ends a stale live call (see end-live-call.ts); absent where nothing routes calls. */
  end?: EndLiveCall | undefined;
}

/** The most live calls one list shows (the count is exact). */
const LIST_LIMIT = 1000;
const round1 = (n: number) => Math.round(n * 10) / 10;

function toLiveView(row: NamedCallRecordRow, now: number): LiveCallView {
  return {
    id: Number(row.id),
    session_token: row.session_token,
    status: row.status,
    from: row.from_number,
    to: row.to_number,
    agent_id: row.agent_id === null ? null : Number(row.agent_id),
    agent_name: row.agent_name,
    group_id: row.group_id === null ? null : Number(row.group_id),
    group_name: row.group_name,
    started_at: isoTime(row.started_at),
    answered_at: isoTime(row.answered_at),
    duration_so_far_seconds: Math.max(0, Math.floor((now - Number(row.started_at)) / 1000)),
  };
}

export interface ActiveFilter {
  agentId?: number | undefined;
  groupId?: number | undefined;
}

/**
 * Calls live now and today's numbers. One definition of an active call, used by
 * the live list, the stats, the dashboard and the real-time metrics alike: its
 * story has not ended, and it started within the tenant's maximum call length
 * (a call older than that is being closed as "unknown end"). It is read from the
 * records, which every instance shares.
 */
export function createLiveCallsService({ repos, clock, end }: Deps) {
  async function since(tenantId: number, now: number): Promise<number> {
    const row = await repos.tenants.findById(tenantId);
    const settings = row ? readSettings(row) : defaultTenantSettings;
    return now - settings.max_call_minutes * 60_000;
  }

  async function activeCount(tenantId: number, f: ActiveFilter = {}): Promise<number> {
    return repos.callRecords.countInStatus(tenantId, liveStates, await since(tenantId, clock()), f);
  }

  return {
    /** Live calls, newest first, optionally of one agent or one group. */
    async active(tenantId: number, q: LiveCallsQuery): Promise<{ data: LiveCallView[] }> {
      const now = clock();
      const rows = await repos.callRecords.listNamedInStatus(tenantId, liveStates, await since(tenantId, now), { agentId: q.agent_id, groupId: q.group_id }, LIST_LIMIT);
      return { data: rows.map((r) => toLiveView(r, now)) };
    },

    activeCount,

    /** An admin ends a stale live call: see end-live-call.ts. */
    end(actor: Actor, id: number): Promise<EndCallResult> {
      if (!end) throw new AppError('service_unavailable', 'Calls cannot be ended here.');
      return end(actor, id);
    },

    /**
     * Today's numbers in the tenant's time zone, from today's daily roll-ups (kept
     * within half a second of the calls), so the cost does not grow with traffic:
     * failed counts failed, busy and no-answer; the average is over completed calls with a duration.
     */
    async stats(tenantId: number): Promise<CallStatsView> {
      const now = clock();
      const timezone = await tenantTimeZone(repos, tenantId);
      const date = localDay(now, timezone);
      const [active, rows] = await Promise.all([activeCount(tenantId), repos.callRollups.inRange(tenantId, date, date)]);
      const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + Number(pick(r)), 0);
      const durationCount = sum((r) => r.duration_count);
      return {
        active_calls: active,
        total_today: sum((r) => r.calls),
        completed_today: sum((r) => r.answered),
        failed_today: sum((r) => r.failed),
        avg_duration: durationCount === 0 ? 0 : round1(sum((r) => r.duration_sum) / durationCount),
        date,
        timezone,
      };
    },
  };
}
export type LiveCallsService = ReturnType<typeof createLiveCallsService>;
