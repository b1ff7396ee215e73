import { Plus, Users } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import { Button } from '../../components/ui/button.js';
import { EmptyState } from '../../components/ui/empty-state.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { Pagination } from '../../components/ui/pagination.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { ReadOnlyNote } from '../../components/ui/read-only-note.js';
import { SearchInput } from '../../components/ui/search-input.js';
import { SelectField } from '../../components/ui/select-field.js';
import { Toolbar } from '../../components/ui/toolbar.js';
import { useCanWrite } from '../../features/auth/api/get-me.js';
import { useGroupsOccupancy } from '../../features/groups/api/get-group-occupancy.js';
import { useGroups } from '../../features/groups/api/get-groups.js';
import { GroupFormDialog } from '../../features/groups/components/group-form.js';
import { GroupsTable } from '../../features/groups/components/groups-table.js';
import { strategyInfo } from '../../features/groups/components/strategy-picker.js';
import { usePollInterval } from '../../lib/live-events.js';
import { useSearchState } from '../../lib/url-state.js';

const searchSchema = z.object({
  search: z.string().catch(''),
  strategy: z.enum(['', 'round_robin', 'priority', 'load_balanced', 'least_live']).catch(''),
  page: z.coerce.number().int().min(1).catch(1),
});

export function GroupsRoute() {
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchState(searchSchema);
  const groups = useGroups({ search: search.search || undefined, strategy: search.strategy || undefined, page: search.page });
  const occupancy = useGroupsOccupancy(usePollInterval(15_000));
  const [creating, setCreating] = useState(false);
  const filtered = Boolean(search.search || search.strategy);
  const newButton = (label: string) =>
    canWrite && (
      <Button onClick={() => setCreating(true)} icon={<Plus className="size-4" aria-hidden="true" />}>
        {label}
      </Button>
    );

  return (
    <>
      <PageHeader title="Groups" description="Groups pool agents and share calls among them by a strategy. Rules send numbers to a group or to one agent." actions={newButton('New group')} />
      {!canWrite && <ReadOnlyNote what="groups" />}
      <Toolbar>
        <SearchInput label="Search" placeholder="Group name" value={search.search} onSearch={(s) => setSearch({ search: s })} className="w-full sm:w-64" />
        <SelectField name="strategy" label="Strategy" value={search.strategy} onChange={(e) => setSearch({ strategy: e.target.value })} className="w-52">
          <option value="">All strategies</option>
          {Object.entries(strategyInfo).map(([name, info]) => (
            <option key={name} value={name}>
              {info.label}
            </option>
          ))}
        </SelectField>
      </Toolbar>
      {groups.data ? (
        groups.data.data.length === 0 ? (
          <EmptyState icon={Users} title={filtered ? 'No group matches these filters' : 'No groups yet'} action={!filtered && newButton('Create your first group')}>
            {filtered ? 'Clear the search or pick another strategy.' : 'Create a group, add agents to it, then point an inbound rule at it.'}
          </EmptyState>
        ) : (
          <>
            <GroupsTable groups={groups.data.data} occupancy={occupancy.data} />
            {groups.data.meta.last_page > 1 && (
              <div className="mt-4">
                <Pagination meta={groups.data.meta} onPage={(page) => setSearch({ page })} />
              </div>
            )}
          </>
        )
      ) : (
        <QueryStatus query={groups} label="groups" />
      )}
      {creating && <GroupFormDialog onClose={() => setCreating(false)} onCreated={(g) => void navigate(`/groups/${g.id}`)} />}
    </>
  );
}
