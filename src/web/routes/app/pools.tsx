import { Layers, Plus } from 'lucide-react';
import { useState } from 'react';
import { Button } from '../../components/ui/button.js';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.js';
import { EmptyState } from '../../components/ui/empty-state.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { ReadOnlyNote } from '../../components/ui/read-only-note.js';
import { useProviders } from '../../features/agents/api/get-providers.js';
import { useCanWrite } from '../../features/auth/api/get-me.js';
import { useDeletePool } from '../../features/pools/api/delete-pool.js';
import { usePoolsOccupancy } from '../../features/pools/api/get-pool-occupancy.js';
import { usePools, type ProviderPool } from '../../features/pools/api/get-pools.js';
import { PoolFormDialog } from '../../features/pools/components/pool-form.js';
import { PoolsTable } from '../../features/pools/components/pools-table.js';
import { usePollInterval } from '../../lib/live-events.js';

/** Provider pools: one provider account's concurrency limit shared by several agents. */
export function PoolsRoute() {
  const canWrite = useCanWrite();
  const pools = usePools();
  const providers = useProviders();
  const occupancy = usePoolsOccupancy(usePollInterval(15_000));
  const [editing, setEditing] = useState<ProviderPool | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ProviderPool | null>(null);
  const remove = useDeletePool({ onSuccess: () => setDeleting(null) });
  const newButton = (label: string) =>
    canWrite && (
      <Button onClick={() => setEditing('new')} disabled={!providers.data} icon={<Plus className="size-4" aria-hidden="true" />}>
        {label}
      </Button>
    );

  return (
    <>
      <PageHeader
        title="Provider pools"
        description="Agents on one provider account share its limit of concurrent calls (a VAPI organisation allows so many across all its assistants). Put them in a pool and calls beyond the limit go to the next agent, or to the fallback."
        actions={newButton('New pool')}
      />
      {!canWrite && <ReadOnlyNote what="provider pools" />}
      {pools.data ? (
        pools.data.data.length === 0 ? (
          <EmptyState icon={Layers} title="No provider pools yet" action={newButton('Create your first pool')}>
            Create a pool with your provider account's limit, then pick it in each agent's form.
          </EmptyState>
        ) : (
          <PoolsTable pools={pools.data.data} occupancy={occupancy.data} onEdit={canWrite ? setEditing : undefined} onDelete={canWrite ? setDeleting : undefined} />
        )
      ) : (
        <QueryStatus query={pools} label="provider pools" />
      )}
      {editing && providers.data && <PoolFormDialog pool={editing === 'new' ? undefined : editing} providers={providers.data.data} onClose={() => setEditing(null)} />}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? 'pool'}?`}
        confirmLabel="Delete pool"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => {
          remove.reset();
          setDeleting(null);
        }}
      >
        Its agents must leave it first; the limit then no longer applies to routing.
      </ConfirmDialog>
    </>
  );
}
