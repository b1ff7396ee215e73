import { Badge } from '../../../components/ui/badge.js';
import { OccupancyBar, occupancyText } from '../../../components/ui/occupancy-bar.js';
import { TextLink } from '../../../components/ui/text-link.js';
import type { Occupancy } from '../api/get-occupancy.js';

interface Row {
  key: string;
  name: string;
  href: string;
  live: number;
  cap: number | null;
  full: boolean;
  off: boolean;
}

/** Fullest first (a full one is what an operator acts on), then by name. */
const byLoad = (a: Row, b: Row) => Number(b.full) - Number(a.full) || (b.cap ? b.live / b.cap : 0) - (a.cap ? a.live / a.cap : 0) || b.live - a.live || a.name.localeCompare(b.name);

function RowList({ title, rows }: { title: string; rows: Row[] }) {
  return (
    <div>
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      <ul className="mt-2 space-y-3">
        {rows.map((r) => (
          <li key={r.key} data-testid="occupancy-row">
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <TextLink to={r.href} className="min-w-0 truncate font-medium">
                {r.name}
              </TextLink>
              <span className="flex shrink-0 items-center gap-2 tabular-nums text-slate-700">
                {r.off && <Badge>Disabled</Badge>}
                {r.full && <Badge tone="red">Full</Badge>}
                {occupancyText(r.live, r.cap)}
              </span>
            </div>
            <div className="mt-1.5">
              <OccupancyBar live={r.live} cap={r.cap} label={`${r.name}: live calls`} />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Live calls against caps now, per agent, per group and per provider pool; refreshed by call events. */
export function OccupancyCard({ occupancy }: { occupancy: Occupancy }) {
  const agents: Row[] = occupancy.agents.map((a) => ({ key: `a${a.agent_id}`, name: a.name, href: `/agents?search=${encodeURIComponent(a.name)}`, live: a.live_calls, cap: a.max_concurrent_calls, full: a.enabled && a.at_capacity, off: !a.enabled }));
  const groups: Row[] = occupancy.groups.map((g) => ({ key: `g${g.group_id}`, name: g.name, href: `/groups/${g.group_id}`, live: g.live_calls, cap: g.capacity, full: g.enabled && g.at_capacity && g.agent_ids.length > 0, off: !g.enabled }));
  const pools: Row[] = (occupancy.pools ?? []).map((p) => ({ key: `p${p.pool_id}`, name: p.name, href: '/pools', live: p.live_calls, cap: p.max_concurrent_calls, full: p.at_capacity, off: false }));
  const fullAgents = agents.filter((a) => a.full).length;
  return (
    <section aria-labelledby="occupancy-title" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="occupancy-title" className="text-base font-semibold text-slate-900">
          Occupancy now
        </h2>
        <p className="text-xs text-slate-600">{fullAgents > 0 ? `${fullAgents} of ${agents.length} agents at their cap: new calls go to the next agent` : 'Live calls against each cap'}</p>
      </div>
      {agents.length === 0 ? (
        <p className="mt-4 text-sm text-slate-500">No agents yet.</p>
      ) : (
        <div className="mt-4 max-h-96 space-y-5 overflow-y-auto pr-1">
          <RowList title="Agents" rows={[...agents].sort(byLoad)} />
          {groups.length > 0 && <RowList title="Groups" rows={[...groups].sort(byLoad)} />}
          {pools.length > 0 && <RowList title="Provider pools" rows={[...pools].sort(byLoad)} />}
        </div>
      )}
    </section>
  );
}
