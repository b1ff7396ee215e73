import { callStates, isTerminal } from '../core/routing/call-state.js';
import type { CallStatsView, LiveCallView, LiveCallsQuery } from '../core/schemas/call-records.js';
import { localDay } from '../core/time/local-day.js';
import type { Plane } from '../plane/plane.js';
import type { NamedCallRecordRow } from '../store/call-records.js';
import type { Repositories } from '../store/index.js';
import { tenantTimeZone } from './call-records-service.js';
import type { Clock } from './clock.js';
import { SLOT_BACKSTOP_MS } from './distribution-service.js';
import { planeKeys } from './plane-keys.js';
import { isoTime } from './views.js';

interface Deps {
  repos: Repositories;
  plane: Plane;
  clock: Clock;
}

const LIVE_STATES = callStates.filter((s) => !isTerminal(s));
/** Far above any real tenant's agent count: the live view must see every agent's slots. */
const ALL_AGENTS = 100_000;
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

/**
 * Calls live now and today's numbers. Which calls are live is read from the agents'
 * live-call slots in the plane, the state every instance shares (Redis when scaled),
 * not from one process's memory; the records only add the details.
 */
export function createLiveCallsService({ repos, plane, clock }: Deps) {
  async function active(tenantId: number, q: LiveCallsQuery = {}): Promise<LiveCallView[]> {
    const now = clock();
    const agents = await repos.voiceAgents.list(tenantId, { page: 1, perPage: ALL_AGENTS });
    const agentIds = agents.rows.map((a) => Number(a.id)).filter((id) => q.agent_id === undefined || id === q.agent_id);
    const members = await Promise.all(agentIds.map((id) => plane.slotMembers(planeKeys.agentSlots(tenantId, id), now)));
    const [held, unassigned] = await Promise.all([
      // A slot whose record already ended is a release still on its way: not live.
      repos.callRecords.listNamedBySessions(tenantId, [...new Set(members.flat())], LIVE_STATES),
      // Calls no agent holds (sessions we did not route, or not routed yet) have no slot; the
      // slot backstop bounds how long a call whose end we never heard can look live.
      q.agent_id === undefined ? repos.callRecords.listNamedWithoutAgent(tenantId, LIVE_STATES, now - SLOT_BACKSTOP_MS) : Promise.resolve([]),
    ]);
    return [...held, ...unassigned]
      .filter((r) => q.group_id === undefined || (r.group_id !== null && Number(r.group_id) === q.group_id))
      .sort((x, y) => Number(y.started_at) - Number(x.started_at) || Number(y.id) - Number(x.id))
      .map((r) => toLiveView(r, now));
  }

  return {
    /** Live calls, newest first, optionally of one agent or one group. */
    async active(tenantId: number, q: LiveCallsQuery): Promise<{ data: LiveCallView[] }> {
      return { data: await active(tenantId, q) };
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
      const [live, rows] = await Promise.all([active(tenantId), repos.callRollups.inRange(tenantId, date, date)]);
      const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((s, r) => s + Number(pick(r)), 0);
      const durationCount = sum((r) => r.duration_count);
      return {
        active_calls: live.length,
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
