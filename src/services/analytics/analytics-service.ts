import { HOURLY_AUTO_DAYS, type MetricsView } from '../../core/schemas/analytics.js';
import { addDays, daysBetween, localDay, localDayRange } from '../../core/time/local-day.js';
import { localHours } from '../../core/time/local-hours.js';
import type { RollupRow } from '../../store/call-rollups.js';
import type { Repositories } from '../../store/index.js';
import type { Clock } from '../clock.js';
import type { Rollups } from './rollups.js';
import { routingShares } from './routing-shares.js';

export interface AnalyticsRange {
  start_date?: string | undefined;
  end_date?: string | undefined;
  agent_id?: number | undefined;
  group_id?: number | undefined;
  bucket?: 'auto' | 'hour' | 'day' | undefined;
}

interface Totals {
  calls: number;
  answered: number;
  durationSum: number;
  durationCount: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
/** Percent of calls answered, one decimal; 0 when there were no calls. */
const successRate = (t: Totals) => (t.calls === 0 ? 0 : round1((100 * t.answered) / t.calls));
const avgDuration = (t: Totals) => (t.durationCount === 0 ? 0 : round1(t.durationSum / t.durationCount));

function add(rows: readonly RollupRow[]): Totals {
  const t: Totals = { calls: 0, answered: 0, durationSum: 0, durationCount: 0 };
  for (const r of rows) {
    t.calls += Number(r.calls);
    t.answered += Number(r.answered);
    t.durationSum += Number(r.duration_sum);
    t.durationCount += Number(r.duration_count);
  }
  return t;
}

function groupBy<K>(rows: readonly RollupRow[], key: (r: RollupRow) => K): Map<K, RollupRow[]> {
  const out = new Map<K, RollupRow[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * Dashboard numbers, read from the daily roll-ups in the tenant's time zone
 * (definitions in README "Analytics"), plus live calls from the plane.
 */
/** `activeCount` is the one definition of an active call (LiveCallsService). */
export function createAnalyticsService(repos: Repositories, rollups: Rollups, clock: Clock, activeCount: (tenantId: number, f: { agentId?: number | undefined; groupId?: number | undefined }) => Promise<number>) {
  async function window(tenantId: number, q: AnalyticsRange) {
    const tz = await rollups.timeZone(tenantId);
    const today = localDay(clock(), tz);
    const end = q.end_date ?? today;
    const start = q.start_date ?? addDays(end, -6);
    let rows = await repos.callRollups.inRange(tenantId, start, end);
    if (q.agent_id !== undefined) rows = rows.filter((r) => Number(r.agent_id) === q.agent_id);
    if (q.group_id !== undefined) rows = rows.filter((r) => Number(r.group_id) === q.group_id);
    return { tz, today, start, end, rows };
  }

  /** The range's bucket: hourly when asked, or by default for ranges of up to HOURLY_AUTO_DAYS days. */
  const bucketOf = (q: AnalyticsRange, start: string, end: string): 'hour' | 'day' =>
    q.bucket === 'hour' || ((q.bucket ?? 'auto') === 'auto' && daysBetween(start, end).length <= HOURLY_AUTO_DAYS) ? 'hour' : 'day';

  /** Hourly bars from the calls themselves (a bounded range), up to the current hour. */
  async function hourly(tenantId: number, tz: string, start: string, end: string, q: AnalyticsRange): Promise<MetricsView['timeline']> {
    const from = localDayRange(start, tz).start;
    const rows = await repos.callRollups.hourly(tenantId, from, localDayRange(end, tz).end, { agentId: q.agent_id, groupId: q.group_id });
    const byHour = new Map(rows.map((r) => [r.bucket, r]));
    return localHours(start, end, tz, clock()).map((h) => {
      const t = byHour.get(h.start) ?? { calls: 0, answered: 0 };
      const rate = successRate({ calls: t.calls, answered: t.answered, durationSum: 0, durationCount: 0 });
      return { at: new Date(h.start).toISOString(), date: h.date, hour: h.hour, calls: t.calls, answered: t.answered, success_rate: rate };
    });
  }

  async function names(tenantId: number) {
    const [agents, groups] = await Promise.all([repos.voiceAgents.list(tenantId, { page: 1, perPage: 10_000 }), repos.agentGroups.list(tenantId, { page: 1, perPage: 10_000 })]);
    return { agent: new Map(agents.rows.map((a) => [Number(a.id), a.name])), group: new Map(groups.rows.map((g) => [Number(g.id), g.name])) };
  }

  return {
    async metrics(tenantId: number, q: AnalyticsRange) {
      const { tz, today, start, end, rows } = await window(tenantId, q);
      const byDay = groupBy(rows, (r) => r.day);
      const total = add(rows);
      const trends = daysBetween(start, end).map((date) => {
        const t = add(byDay.get(date) ?? []);
        return { date, calls: t.calls, answered: t.answered, success_rate: successRate(t) };
      });
      const bucket = bucketOf(q, start, end);
      const timeline = bucket === 'hour' ? await hourly(tenantId, tz, start, end, q) : trends.map((d) => ({ at: new Date(localDayRange(d.date, tz).start).toISOString(), hour: null, ...d }));
      return {
        start_date: start,
        end_date: end,
        calls_today: add(byDay.get(today) ?? []).calls,
        total_calls: total.calls,
        answered_calls: total.answered,
        success_rate: successRate(total),
        avg_duration: avgDuration(total),
        active_calls: await activeCount(tenantId, { agentId: q.agent_id, groupId: q.group_id }),
        trends,
        timezone: tz,
        bucket,
        timeline,
      };
    },

    /** Overflow and fallback shares of the range's calls, from the daily roll-ups (see routing-shares.ts). */
    async routing(tenantId: number, q: AnalyticsRange) {
      const { start, end, rows } = await window(tenantId, q);
      return { start_date: start, end_date: end, ...routingShares(rows) };
    },

    async agents(tenantId: number, q: AnalyticsRange) {
      const { start, end, rows } = await window(tenantId, q);
      const n = await names(tenantId);
      const groupTotals = new Map([...groupBy(rows, (r) => Number(r.group_id))].map(([g, rs]) => [g, add(rs).calls]));
      const data = [...groupBy(rows.filter((r) => Number(r.agent_id) !== 0), (r) => Number(r.agent_id))].map(([agentId, rs]) => {
        const t = add(rs);
        const groups = [...groupBy(rs.filter((r) => Number(r.group_id) !== 0), (r) => Number(r.group_id))].map(([groupId, grs]) => {
          const calls = add(grs).calls;
          return { group_id: groupId, group_name: n.group.get(groupId) ?? null, calls, share: round1((100 * calls) / (groupTotals.get(groupId) || 1)) };
        });
        return { agent_id: agentId, agent_name: n.agent.get(agentId) ?? null, calls: t.calls, answered: t.answered, success_rate: successRate(t), avg_duration: avgDuration(t), groups };
      });
      return { start_date: start, end_date: end, data: data.sort((a, b) => b.calls - a.calls || a.agent_id - b.agent_id) };
    },

    async groups(tenantId: number, q: AnalyticsRange) {
      const { start, end, rows } = await window(tenantId, q);
      const n = await names(tenantId);
      const data = [...groupBy(rows.filter((r) => Number(r.group_id) !== 0), (r) => Number(r.group_id))].map(([groupId, rs]) => {
        const t = add(rs);
        const members = [...groupBy(rs.filter((r) => Number(r.agent_id) !== 0), (r) => Number(r.agent_id))].map(([agentId, ars]) => {
          const calls = add(ars).calls;
          return { agent_id: agentId, agent_name: n.agent.get(agentId) ?? null, calls, share: round1((100 * calls) / (t.calls || 1)) };
        });
        return { group_id: groupId, group_name: n.group.get(groupId) ?? null, calls: t.calls, answered: t.answered, success_rate: successRate(t), avg_duration: avgDuration(t), members };
      });
      return { start_date: start, end_date: end, data: data.sort((a, b) => b.calls - a.calls || a.group_id - b.group_id) };
    },
  };
}
export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
