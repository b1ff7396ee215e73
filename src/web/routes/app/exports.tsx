import { Download, Plus } from 'lucide-react';
import { useState } from 'react';
import { z } from 'zod';
import { Button } from '../../components/ui/button.js';
import { EmptyState } from '../../components/ui/empty-state.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { Pagination } from '../../components/ui/pagination.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { useAllAgents } from '../../features/agents/api/get-agents.js';
import { useExports } from '../../features/exports/api/get-exports.js';
import { ExportFormDialog } from '../../features/exports/components/export-form.js';
import { ExportsTable } from '../../features/exports/components/exports-table.js';
import { useAllGroups } from '../../features/groups/api/get-groups.js';
import { useSearchState } from '../../lib/url-state.js';

const text = z.string().max(200).optional().catch(undefined);
// `new=1` and the record filters come from "Export these records" on the call-records page.
const searchSchema = z.object({
  page: z.coerce.number().int().min(1).catch(1),
  new: z.coerce.number().optional().catch(undefined),
  start_date: text,
  end_date: text,
  agent_id: text,
  group_id: text,
  direction: text,
  from: text,
  to: text,
  status: text,
  outcome: text,
  min_duration: text,
  max_duration: text,
});

export function ExportsRoute() {
  const [search, setSearch] = useSearchState(searchSchema);
  const exports = useExports(search.page);
  const agents = useAllAgents();
  const groups = useAllGroups();
  const [open, setOpen] = useState(search.new === 1);
  const { page: _page, new: _new, ...filters } = search;
  const close = () => {
    setOpen(false);
    // The preset filters served the form; the list itself does not filter by them.
    if (search.new !== undefined) setSearch(Object.fromEntries(Object.keys(searchSchema.shape).map((k) => [k, undefined])), { replace: true });
  };
  const newButton = (label: string) => (
    <Button onClick={() => setOpen(true)} icon={<Plus className="size-4" aria-hidden="true" />}>
      {label}
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Exports"
        description="Take call records away as CSV or JSON. Exports run in the background; files are kept for a few days."
        actions={newButton('New export')}
      />
      {exports.data ? (
        exports.data.data.length === 0 ? (
          <EmptyState icon={Download} title="No exports yet" action={newButton('Start your first export')}>
            Pick the columns and the calls you want, and download the file when it is ready.
          </EmptyState>
        ) : (
          <ExportsTable
            exports={exports.data.data}
            footer={exports.data.meta.last_page > 1 && <Pagination meta={exports.data.meta} onPage={(page) => setSearch({ page })} />}
          />
        )
      ) : (
        <QueryStatus query={exports} label="exports" />
      )}
      {open && <ExportFormDialog preset={{ filters }} agents={agents.data?.data ?? []} groups={groups.data?.data ?? []} onClose={close} />}
    </>
  );
}
