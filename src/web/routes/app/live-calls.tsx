import { CheckCircle2, Clock, PhoneCall, PhoneIncoming, PhoneMissed } from 'lucide-react';
import { z } from 'zod';
import { EmptyState } from '../../components/ui/empty-state.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { NamedOptions, SelectField } from '../../components/ui/select-field.js';
import { StatCard } from '../../components/ui/stat-card.js';
import { Toolbar } from '../../components/ui/toolbar.js';
import { useAllAgents } from '../../features/agents/api/get-agents.js';
import { useCanWrite } from '../../features/auth/api/get-me.js';
import { CallRecordDrawer } from '../../features/call-records/components/call-record-drawer.js';
import { useAllGroups } from '../../features/groups/api/get-groups.js';
import { EndCallButton } from '../../features/live-calls/components/end-call-button.js';
import { HandOffButton } from '../../features/live-calls/components/hand-off-button.js';
import { HangUpButton } from '../../features/live-calls/components/hang-up-button.js';
import { useActiveCalls } from '../../features/live-calls/api/get-active-calls.js';
import { useCallStats } from '../../features/live-calls/api/get-call-stats.js';
import { LiveCallsTable } from '../../features/live-calls/components/live-calls-table.js';
import { formatDuration, formatNumber } from '../../lib/format.js';
import { usePollInterval } from '../../lib/live-events.js';
import { useSearchState } from '../../lib/url-state.js';

const searchSchema = z.object({
  agent_id: z.coerce.number().int().positive().optional().catch(undefined),
  group_id: z.coerce.number().int().positive().optional().catch(undefined),
  /** The call whose details are open. */
  id: z.coerce.number().int().positive().optional().catch(undefined),
});

export function LiveCallsRoute() {
  const [filters, setFilters] = useSearchState(searchSchema);
  const poll = usePollInterval(3000);
  const calls = useActiveCalls(filters, poll);
  const stats = useCallStats(poll === false ? false : 5000);
  const agents = useAllAgents();
  const groups = useAllGroups();
  const s = stats.data;
  const canWrite = useCanWrite();
  const agentList = agents.data?.data ?? [];
  const groupList = groups.data?.data ?? [];
  const agentName = (id: number) => agentList.find((a) => a.id === id)?.name ?? `agent #${id}`;
  const targetName = (type: string, id: number) => (type === 'group' ? (groupList.find((g) => g.id === id)?.name ?? `#${id}`) : agentName(id));

  return (
    <>
      <PageHeader title="Live calls" description="Calls that have not ended yet: being routed, ringing or connected. A call whose end Cloudonix never reports leaves after the maximum call length (Settings), or when an admin ends it from its details. With Cloudonix connected, an admin can also hand a call off or hang it up there. The list updates by itself." />
      <div className="mb-6 grid grid-cols-2 gap-3 sm:gap-4 xl:grid-cols-4">
        <StatCard label="Active now" icon={PhoneCall} value={s ? formatNumber(s.active_calls) : '—'} hint="Not ended yet: being routed, ringing or connected" />
        <StatCard label="Calls today" icon={PhoneIncoming} accent="sky" value={s ? formatNumber(s.total_today) : '—'} hint={s ? `Since midnight, ${s.timezone}` : undefined} />
        <StatCard
          label="Completed / failed today"
          icon={s && s.failed_today > s.completed_today ? PhoneMissed : CheckCircle2}
          accent="emerald"
          value={s ? `${formatNumber(s.completed_today)} / ${formatNumber(s.failed_today)}` : '—'}
          hint="Answered by an agent / failed, busy or no answer (fallback calls count in neither)"
        />
        <StatCard label="Average duration today" icon={Clock} accent="amber" value={s && s.completed_today > 0 ? formatDuration(s.avg_duration) : '—'} hint="Of answered calls" />
      </div>
      <Toolbar>
        <SelectField
          name="agent_id"
          label="Agent"
          value={filters.agent_id ?? ''}
          onChange={(e) => setFilters({ agent_id: e.target.value || undefined })}
          className="w-52"
        >
          <option value="">All agents</option>
          <NamedOptions items={agents.data?.data ?? []} />
        </SelectField>
        <SelectField
          name="group_id"
          label="Group"
          value={filters.group_id ?? ''}
          onChange={(e) => setFilters({ group_id: e.target.value || undefined })}
          className="w-52"
        >
          <option value="">All groups</option>
          <NamedOptions items={groups.data?.data ?? []} />
        </SelectField>
      </Toolbar>
      {calls.data ? (
        calls.data.data.length === 0 ? (
          <EmptyState icon={PhoneCall} title="No calls in progress">
            {filters.agent_id || filters.group_id
              ? 'No call of this agent or group is in progress. Clear the filters to see every call.'
              : 'A call shows up here as soon as Cloudonix asks where to send it, and leaves when it ends.'}
          </EmptyState>
        ) : (
          <LiveCallsTable calls={calls.data.data} onOpen={(id) => setFilters({ id })} />
        )
      ) : (
        <QueryStatus query={calls} label="live calls" />
      )}
      <CallRecordDrawer
        id={filters.id}
        onClose={() => setFilters({ id: undefined })}
        agentName={agentName}
        targetName={targetName}
        poll={poll === false ? false : 2000}
        actions={(r) => {
          if (!canWrite || r.ended_at !== null) return null;
          const label = `${r.from ?? 'unknown'} → ${r.to ?? 'unknown'}`;
          // Hand off and hang up act on the call at Cloudonix; ending only closes a stale record here.
          return (
            <>
              <HandOffButton id={r.id} label={label} agents={agentList} groups={groupList} />
              <HangUpButton id={r.id} label={label} />
              <EndCallButton id={r.id} label={label} />
            </>
          );
        }}
      />
    </>
  );
}
