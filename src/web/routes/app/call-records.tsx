import { Download, FileText } from 'lucide-react';
import { Link } from 'react-router';
import { focusRing } from '../../components/ui/button.js';
import { EmptyState } from '../../components/ui/empty-state.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { Pagination } from '../../components/ui/pagination.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { TabLinks } from '../../components/ui/tab-links.js';
import { useAllAgents } from '../../features/agents/api/get-agents.js';
import { useCallRecords } from '../../features/call-records/api/get-call-records.js';
import { useCdrs } from '../../features/call-records/api/get-cdrs.js';
import { CallRecordDrawer } from '../../features/call-records/components/call-record-drawer.js';
import { CallRecordsTable } from '../../features/call-records/components/call-records-table.js';
import { CdrDrawer } from '../../features/call-records/components/cdr-drawer.js';
import { CdrFilters } from '../../features/call-records/components/cdr-filters.js';
import { CdrsTable } from '../../features/call-records/components/cdrs-table.js';
import { RecordFilters } from '../../features/call-records/components/record-filters.js';
import { callRecordSearch, cdrFilterKeys, recordFilterKeys } from '../../features/call-records/search.js';
import { useAllGroups } from '../../features/groups/api/get-groups.js';
import { usePollInterval } from '../../lib/live-events.js';
import { toQueryString } from '../../lib/paged.js';
import { useSearchState } from '../../lib/url-state.js';

export function CallRecordsRoute() {
  const [search, setSearch] = useSearchState(callRecordSearch);
  const agents = useAllAgents();
  const groups = useAllGroups();
  const poll = usePollInterval(10_000);
  const isCdrs = search.view === 'cdrs';

  const recordFilters = Object.fromEntries(recordFilterKeys.map((k) => [k, search[k] || undefined]));
  const records = useCallRecords({ ...recordFilters, sort: search.sort, page: search.page, per_page: search.per_page }, isCdrs ? false : poll);
  const cdrs = useCdrs({ ...Object.fromEntries(cdrFilterKeys.map((k) => [k, search[k] || undefined])), page: search.page, per_page: search.per_page }, isCdrs);

  const agentList = agents.data?.data ?? [];
  const groupList = groups.data?.data ?? [];
  const agentName = (id: number) => agentList.find((a) => a.id === id)?.name ?? `agent #${id}`;
  const targetName = (type: string, id: number) => (type === 'group' ? (groupList.find((g) => g.id === id)?.name ?? `#${id}`) : agentName(id));
  const exportLink = `/exports${toQueryString({ ...recordFilters, new: 1 })}`;

  return (
    <>
      <PageHeader
        title="Call records"
        description="Every call the service routed, with why it went where it did. Filters, sort and page are in the address, so you can share a view."
        actions={
          !isCdrs && (
            <Link
              to={exportLink}
              className={`inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3.5 py-2 text-sm font-semibold text-slate-700 shadow-sm hover:bg-slate-50 ${focusRing}`}
            >
              <Download className="size-4" aria-hidden="true" />
              Export these records
            </Link>
          )
        }
      />
      <TabLinks
        label="Record kinds"
        tabs={[
          { label: 'Call records', to: '?view=records', active: !isCdrs },
          { label: 'CDRs', to: '?view=cdrs', active: isCdrs },
        ]}
      />
      {isCdrs ? (
        <>
          <CdrFilters values={search} onApply={(f) => setSearch(f)} />
          {cdrs.data ? (
            cdrs.data.data.length === 0 ? (
              <EmptyState icon={FileText} title="No CDRs match">
                Cloudonix sends a CDR when a call ends.
              </EmptyState>
            ) : (
              <CdrsTable cdrs={cdrs.data.data} onOpen={(cdr) => setSearch({ cdr, page: search.page })} footer={<Pagination meta={cdrs.data.meta} onPage={(page) => setSearch({ page })} />} />
            )
          ) : (
            <QueryStatus query={cdrs} label="CDRs" />
          )}
        </>
      ) : (
        <>
          <RecordFilters values={search} agents={agentList} groups={groupList} onApply={(f) => setSearch(f)} />
          {records.data ? (
            records.data.data.length === 0 ? (
              <EmptyState icon={FileText} title="No calls match">
                Calls appear here as soon as Cloudonix sends them. Clear the filters to see every call.
              </EmptyState>
            ) : (
              <CallRecordsTable
                records={records.data.data}
                sort={search.sort}
                onSort={(sort) => setSearch({ sort })}
                onOpen={(id) => setSearch({ id, page: search.page })}
                footer={<Pagination meta={records.data.meta} onPage={(page) => setSearch({ page })} />}
              />
            )
          ) : (
            <QueryStatus query={records} label="call records" />
          )}
        </>
      )}
      <CallRecordDrawer id={search.id} onClose={() => setSearch({ id: undefined, page: search.page })} agentName={agentName} targetName={targetName} />
      <CdrDrawer
        id={search.cdr}
        onClose={() => setSearch({ cdr: undefined, page: search.page })}
        onOpenCall={(id) => setSearch({ cdr: undefined, id, page: search.page })}
      />
    </>
  );
}
