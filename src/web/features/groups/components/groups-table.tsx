import { ChevronRight } from 'lucide-react';
import { Link } from 'react-router';
import { focusRing } from '../../../components/ui/button.js';
import { Badge } from '../../../components/ui/badge.js';
import { OccupancyBar, occupancyText } from '../../../components/ui/occupancy-bar.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import type { GroupOccupancy } from '../../../../core/schemas/occupancy.js';
import type { AgentGroup } from '../api/get-groups.js';
import { strategyInfo } from './strategy-picker.js';

/** The groups, each a link to its members, with their live calls against the members' caps. */
export function GroupsTable({ groups, occupancy }: { groups: readonly AgentGroup[]; occupancy?: ReadonlyMap<number, GroupOccupancy> | undefined }) {
  return (
    <Table caption="Agent groups">
      <thead>
        <tr>
          <Th>Group</Th>
          <Th>Strategy</Th>
          <Th>Members</Th>
          <Th>Live calls</Th>
          <Th className="hidden lg:table-cell">Agents tried per call</Th>
          <Th>State</Th>
          <Th>
            <span className="sr-only">Open</span>
          </Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {groups.map((group) => (
          <tr key={group.id} className="hover:bg-slate-50">
            <Td>
              <Link to={`/groups/${group.id}`} className={`rounded-sm font-medium text-slate-900 hover:text-indigo-600 ${focusRing}`}>
                {group.name}
              </Link>
            </Td>
            <Td className="whitespace-nowrap">{strategyInfo[group.strategy].label}</Td>
            <Td className="tabular-nums">{group.member_count}</Td>
            <Td>
              <GroupLoad name={group.name} load={occupancy?.get(group.id)} />
            </Td>
            <Td className="hidden tabular-nums lg:table-cell">{String(group.settings.max_attempts ?? 3)}</Td>
            <Td>{group.enabled ? <Badge tone="indigo">Enabled</Badge> : <Badge>Disabled</Badge>}</Td>
            <Td className="text-right">
              <Link to={`/groups/${group.id}`} aria-label={`Open ${group.name}`} className={`inline-flex rounded p-1 text-slate-400 hover:text-indigo-600 ${focusRing}`}>
                <ChevronRight className="size-4" aria-hidden="true" />
              </Link>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** "4 of 10 busy" over a bar; a dash while the live counts load. */
function GroupLoad({ name, load }: { name: string; load: GroupOccupancy | undefined }) {
  if (!load) return <span className="text-sm text-slate-600">–</span>;
  return (
    <div className="w-28">
      <p className="text-xs font-medium whitespace-nowrap tabular-nums text-slate-900">{occupancyText(load.live_calls, load.capacity)}</p>
      <div className="mt-1">
        <OccupancyBar live={load.live_calls} cap={load.capacity} label={`Live calls of ${name}`} />
      </div>
    </div>
  );
}
