import { Pencil, Trash2 } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '../../../components/ui/button.js';
import { Switch } from '../../../components/ui/switch.js';
import { Table, Td, Th } from '../../../components/ui/table.js';
import type { VoiceAgent } from '../api/get-agents.js';
import { useToggleAgent } from '../api/toggle-agent.js';
import { EnabledBadge, HealthBadge } from './agent-badges.js';

interface AgentsTableProps {
  agents: readonly VoiceAgent[];
  canWrite: boolean;
  onEdit: (agent: VoiceAgent) => void;
  onDelete: (agent: VoiceAgent) => void;
  footer?: ReactNode;
}

/** The agents with their provider, target, limits, health and an inline on/off switch. */
export function AgentsTable({ agents, canWrite, onEdit, onDelete, footer }: AgentsTableProps) {
  const toggle = useToggleAgent();
  return (
    <Table caption="Voice agents" footer={footer}>
      <thead>
        <tr>
          <Th>Agent</Th>
          <Th>Provider</Th>
          <Th>Dials</Th>
          <Th>Max calls</Th>
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
              {agent.description && <p className="max-w-xs truncate text-xs text-slate-600">{agent.description}</p>}
            </Td>
            <Td className="whitespace-nowrap">{agent.provider_name}</Td>
            <Td className="max-w-56 truncate font-mono text-xs" title={agent.service_value}>
              {agent.service_value}
            </Td>
            <Td className="tabular-nums">{agent.max_concurrent_calls ?? 'No limit'}</Td>
            <Td>
              <HealthBadge agent={agent} />
            </Td>
            <Td>
              {canWrite ? (
                <Switch
                  checked={agent.enabled}
                  label={`${agent.enabled ? 'Disable' : 'Enable'} ${agent.name}`}
                  disabled={toggle.isPending && toggle.variables === agent.id}
                  onChange={() => toggle.mutate(agent.id)}
                />
              ) : (
                <EnabledBadge enabled={agent.enabled} />
              )}
            </Td>
            {canWrite && (
              <Td className="whitespace-nowrap text-right">
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
