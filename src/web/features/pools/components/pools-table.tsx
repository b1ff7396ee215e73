import { Pencil, Trash2 } from 'lucide-react';
import type { PoolOccupancy } from '../../../../core/schemas/occupancy.js';
import { Button } from '../../../components/ui/button.js';
import { OccupancyBar, occupancyText } from '../../../components/ui/occupancy-bar.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import type { ProviderPool } from '../api/get-pools.js';

interface PoolsTableProps {
  pools: readonly ProviderPool[];
  occupancy?: ReadonlyMap<number, PoolOccupancy> | undefined;
  /** Absent for analysts (read-only). */
  onEdit?: ((pool: ProviderPool) => void) | undefined;
  onDelete?: ((pool: ProviderPool) => void) | undefined;
}

/** The provider pools, their agents and their live calls against the account's limit. */
export function PoolsTable({ pools, occupancy, onEdit, onDelete }: PoolsTableProps) {
  return (
    <Table caption="Provider pools">
      <thead>
        <tr>
          <Th>Pool</Th>
          <Th className="hidden md:table-cell">Provider</Th>
          <Th>Agents</Th>
          <Th>Live calls</Th>
          {onEdit && (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {pools.map((pool) => {
          const load = occupancy?.get(pool.id);
          return (
            <tr key={pool.id} className="hover:bg-slate-50">
              <Td className="font-medium text-slate-900">{pool.name}</Td>
              <Td className="hidden whitespace-nowrap md:table-cell">{pool.provider_name ?? 'Any'}</Td>
              <Td className="max-w-64 text-sm text-slate-700">{pool.agents.length === 0 ? <span className="text-slate-500">None yet</span> : pool.agents.map((a) => a.name).join(', ')}</Td>
              <Td>
                <div className="w-20 sm:w-28">
                  <p className="text-xs font-medium whitespace-nowrap tabular-nums text-slate-900">{occupancyText(load?.live_calls ?? 0, pool.max_concurrent_calls)}</p>
                  <div className="mt-1">
                    <OccupancyBar live={load?.live_calls ?? 0} cap={pool.max_concurrent_calls} label={`Live calls of ${pool.name}`} />
                  </div>
                </div>
              </Td>
              {onEdit && (
                <Td className="text-right">
                  {/* Stacked on phones, so both stay in view beside the bar. */}
                  <div className="flex flex-col items-end sm:flex-row sm:justify-end">
                    <Button variant="ghost" className="px-2" aria-label={`Edit ${pool.name}`} onClick={() => onEdit(pool)} icon={<Pencil className="size-4" aria-hidden="true" />} />
                    <Button variant="ghost" className="px-2 hover:text-red-700" aria-label={`Delete ${pool.name}`} onClick={() => onDelete?.(pool)} icon={<Trash2 className="size-4" aria-hidden="true" />} />
                  </div>
                </Td>
              )}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
