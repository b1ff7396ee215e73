import { Pencil, PhoneCall, Trash2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '../../../components/ui/button.js';
import { OccupancyBar, occupancyText } from '../../../components/ui/occupancy-bar.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import type { VoiceAgent } from '../api/get-agents.js';
import type { AgentOccupancy } from '../api/get-occupancy.js';
import { EnabledBadge, HealthBadge } from './agent-badges.js';
import { AgentEnabledSwitch } from './agent-enabled-switch.js';

interface AgentsTableProps {
  agents: readonly VoiceAgent[];
  /** Live calls per agent id; absent while it loads. */
  occupancy: ReadonlyMap<number, AgentOccupancy> | undefined;
  canWrite: boolean;
  onEdit: (agent: VoiceAgent) => void;
  onDelete: (agent: VoiceAgent) => void;
  /** A test call through Cloudonix (admins). */
  onTestCall: (agent: VoiceAgent) => void;
  footer?: ReactNode;
}

/** The agents with their provider, target, live calls against their cap, health and an inline on/off switch. */
export function AgentsTable({ agents, occupancy, canWrite, onEdit, onDelete, onTestCall, footer }: AgentsTableProps) {
  return (
    <Table caption="Voice agents" footer={footer}>
      <thead>
        <tr>
          <Th>Agent</Th>
          <Th className="hidden lg:table-cell">Provider</Th>
          <Th className="hidden xl:table-cell">Dials</Th>
          <Th>Live calls</Th>
          <Th>Health</Th>
          <Th>{canWrite ? 'Enabled' : 'State'}</Th>
          {canWrite && (
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {agents.map((agent) => (
          <tr key={agent.id} className="hover:bg-slate-50">
            <Td>
              <p className="font-medium text-slate-900">{agent.name}</p>
              {agent.description && (
                <p className="max-w-40 truncate text-xs text-slate-600 2xl:max-w-56" title={agent.description}>
                  {agent.description}
                </p>
              )}
            </Td>
            <Td className="hidden whitespace-nowrap lg:table-cell">{agent.provider_name}</Td>
            <Td className="hidden max-w-56 truncate font-mono text-xs xl:table-cell" title={agent.service_value}>
              {agent.service_value}
            </Td>
            <Td>
              <AgentLoad agent={agent} live={occupancy?.get(agent.id)?.live_calls} />
            </Td>
            <Td>
              <HealthBadge agent={agent} />
            </Td>
            <Td>
              {canWrite ? (
                <AgentEnabledSwitch agent={agent} liveCalls={occupancy?.get(agent.id)?.live_calls ?? 0} />
              ) : (
                <EnabledBadge enabled={agent.enabled} />
              )}
            </Td>
            {canWrite && (
              <Td className="whitespace-nowrap text-right">
                <Button variant="ghost" className="px-2" onClick={() => onTestCall(agent)} aria-label={`Test call to ${agent.name}`} title="Test call" icon={<PhoneCall className="size-4" aria-hidden="true" />} />
                <Button variant="ghost" className="px-2" onClick={() => onEdit(agent)} aria-label={`Edit ${agent.name}`} icon={<Pencil className="size-4" aria-hidden="true" />} />
                <Button variant="ghost" className="px-2 hover:text-red-700" onClick={() => onDelete(agent)} aria-label={`Delete ${agent.name}`} icon={<Trash2 className="size-4" aria-hidden="true" />} />
              </Td>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** "3 of 5 busy" over a bar; the cap alone until the live counts arrive. */
function AgentLoad({ agent, live }: { agent: VoiceAgent; live: number | undefined }) {
  const cap = agent.max_concurrent_calls;
  if (live === undefined) return <span className="text-sm tabular-nums text-slate-600">{cap === null ? 'No cap' : `Cap ${cap}`}</span>;
  return (
    <div className="w-28">
      <p className="text-xs font-medium tabular-nums whitespace-nowrap text-slate-900">{occupancyText(live, cap)}</p>
      <div className="mt-1">
        <OccupancyBar live={live} cap={cap} label={`Live calls of ${agent.name}`} />
      </div>
    </div>
  );
}
