import { Bot, Plus } from 'lucide-react';
import { useState } from 'react';
import { z } from 'zod';
import { Button } from '../../components/ui/button.js';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.js';
import { EmptyState } from '../../components/ui/empty-state.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { Pagination } from '../../components/ui/pagination.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { ReadOnlyNote } from '../../components/ui/read-only-note.js';
import { Toolbar } from '../../components/ui/toolbar.js';
import { useDeleteAgent } from '../../features/agents/api/delete-agent.js';
import { useAgents, type VoiceAgent } from '../../features/agents/api/get-agents.js';
import { useAgentOccupancy } from '../../features/agents/api/get-occupancy.js';
import { useProviders } from '../../features/agents/api/get-providers.js';
import { AgentFilters } from '../../features/agents/components/agent-filters.js';
import { AgentFormDialog } from '../../features/agents/components/agent-form.js';
import { usePools } from '../../features/pools/api/get-pools.js';
import { AgentsTable } from '../../features/agents/components/agents-table.js';
import { TestCallDialog } from '../../features/agents/components/test-call-dialog.js';
import { useCanWrite } from '../../features/auth/api/get-me.js';
import { usePollInterval } from '../../lib/live-events.js';
import { useSearchState } from '../../lib/url-state.js';

const searchSchema = z.object({
  search: z.string().catch(''),
  enabled: z.enum(['', 'true', 'false']).catch(''),
  provider: z.string().catch(''),
  page: z.coerce.number().int().min(1).catch(1),
});

export function AgentsRoute() {
  const canWrite = useCanWrite();
  const [search, setSearch] = useSearchState(searchSchema);
  const providers = useProviders();
  const pools = usePools();
  const agents = useAgents({
    search: search.search || undefined,
    enabled: search.enabled || undefined,
    provider: search.provider || undefined,
    page: search.page,
  });
  const occupancy = useAgentOccupancy(usePollInterval(10_000));
  const [editing, setEditing] = useState<VoiceAgent | 'new' | null>(null);
  const [deleting, setDeleting] = useState<VoiceAgent | null>(null);
  const [testing, setTesting] = useState<VoiceAgent | null>(null);
  const remove = useDeleteAgent({ onSuccess: () => setDeleting(null) });
  const filtered = Boolean(search.search || search.enabled || search.provider);

  return (
    <>
      <PageHeader
        title="Agents"
        description="The AI voice agents calls are sent to. A disabled or unhealthy agent, or one at its cap, is skipped: the call goes to the next agent."
        actions={
          canWrite && (
            <Button onClick={() => setEditing('new')} disabled={!providers.data} icon={<Plus className="size-4" aria-hidden="true" />}>
              New agent
            </Button>
          )
        }
      />
      {!canWrite && <ReadOnlyNote what="agents" />}
      <Toolbar>
        <AgentFilters values={search} providers={providers.data?.data ?? []} onChange={setSearch} />
      </Toolbar>
      {agents.data ? (
        agents.data.data.length === 0 ? (
          <EmptyState
            icon={Bot}
            title={filtered ? 'No agent matches these filters' : 'No agents yet'}
            action={
              !filtered &&
              canWrite && (
                <Button onClick={() => setEditing('new')} disabled={!providers.data} icon={<Plus className="size-4" aria-hidden="true" />}>
                  Add your first agent
                </Button>
              )
            }
          >
            {filtered ? 'Clear the search or pick other filters.' : 'Add the voice agents that should answer your calls, then put them in groups and rules.'}
          </EmptyState>
        ) : (
          <AgentsTable
            agents={agents.data.data}
            occupancy={occupancy.data}
            canWrite={canWrite}
            onEdit={setEditing}
            onTestCall={setTesting}
            onDelete={(agent) => {
              remove.reset();
              setDeleting(agent);
            }}
            footer={agents.data.meta.last_page > 1 && <Pagination meta={agents.data.meta} onPage={(page) => setSearch({ page })} />}
          />
        )
      ) : (
        <QueryStatus query={agents} label="agents" />
      )}
      {editing && providers.data && (
        <AgentFormDialog agent={editing === 'new' ? undefined : editing} providers={providers.data.data} pools={pools.data?.data ?? []} onClose={() => setEditing(null)} />
      )}
      {testing && <TestCallDialog agent={testing} onClose={() => setTesting(null)} />}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? 'agent'}?`}
        confirmLabel="Delete agent"
        pending={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
      >
        <p>The agent leaves every group it belongs to. Past call records keep its name. An agent that a rule or the fallback route targets cannot be deleted.</p>
      </ConfirmDialog>
    </>
  );
}
