import { ArrowLeft, Pencil, Trash2 } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Badge } from '../../components/ui/badge.js';
import { Button } from '../../components/ui/button.js';
import { Card } from '../../components/ui/card.js';
import { OccupancyBar, occupancyText } from '../../components/ui/occupancy-bar.js';
import { ConfirmDialog } from '../../components/ui/confirm-dialog.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { QueryStatus } from '../../components/ui/query-status.js';
import { ReadOnlyNote } from '../../components/ui/read-only-note.js';
import { TextLink } from '../../components/ui/text-link.js';
import { useAllAgents } from '../../features/agents/api/get-agents.js';
import { useCanWrite } from '../../features/auth/api/get-me.js';
import { useDeleteGroup } from '../../features/groups/api/delete-group.js';
import { useGroup } from '../../features/groups/api/get-group.js';
import { useGroupOccupancy } from '../../features/groups/api/get-group-occupancy.js';
import { useGroupShares } from '../../features/groups/api/get-group-shares.js';
import { AddMemberForm } from '../../features/groups/components/add-member-form.js';
import { GroupFormDialog } from '../../features/groups/components/group-form.js';
import { GroupMembers, type MemberShare } from '../../features/groups/components/group-members.js';
import { strategyInfo } from '../../features/groups/components/strategy-picker.js';
import { isoDay } from '../../lib/format.js';
import { usePollInterval } from '../../lib/live-events.js';

const SHARE_DAYS = 7;

export function GroupDetailRoute() {
  const id = Number(useParams().id);
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  const group = useGroup(id);
  const agents = useAllAgents();
  const range = useMemo(() => ({ start_date: isoDay(-(SHARE_DAYS - 1)), end_date: isoDay() }), []);
  const poll = usePollInterval(15_000);
  const shares = useGroupShares(id, range, poll);
  const load = useGroupOccupancy(id, poll);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = useDeleteGroup({ onSuccess: () => void navigate('/groups', { replace: true }) });

  const shareMap = useMemo(() => {
    const map = new Map<number, MemberShare>();
    for (const m of shares.data?.data.find((g) => g.group_id === id)?.members ?? []) map.set(m.agent_id, { calls: m.calls, share: m.share });
    return map;
  }, [shares.data, id]);

  if (!group.data) {
    return (
      <>
        <PageHeader title="Group" />
        <QueryStatus query={group} label="the group" />
        <p className="mt-4 text-sm">
          <TextLink to="/groups">Back to groups</TextLink>
        </p>
      </>
    );
  }
  const g = group.data;
  const info = strategyInfo[g.strategy];

  return (
    <>
      <p className="mb-3 text-sm">
        <TextLink to="/groups" className="inline-flex items-center gap-1">
          <ArrowLeft className="size-4" aria-hidden="true" />
          Groups
        </TextLink>
      </p>
      <PageHeader
        title={g.name}
        badge={g.enabled ? <Badge tone="indigo">Enabled</Badge> : <Badge>Disabled</Badge>}
        description={
          <>
            <strong className="font-semibold text-slate-800">{info.label}.</strong> {info.summary}
            {g.settings.returning_callers?.enabled && (
              <span className="mt-1 block">
                <strong className="font-semibold text-slate-800">Returning callers:</strong> a caller who calls again within {g.settings.returning_callers.ttl_minutes} minutes gets the agent that last took their call, when it is free.
              </span>
            )}
          </>
        }
        actions={
          canWrite && (
            <>
              <Button variant="secondary" onClick={() => setEditing(true)} icon={<Pencil className="size-4" aria-hidden="true" />}>
                Edit group
              </Button>
              <Button variant="secondary" className="hover:text-red-700" onClick={() => setDeleting(true)} icon={<Trash2 className="size-4" aria-hidden="true" />}>
                Delete
              </Button>
            </>
          )
        }
      />
      {!canWrite && <ReadOnlyNote what="this group" />}
      <Card flush>
        <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-200 px-4 py-3">
          <h2 className="text-base font-semibold text-slate-900">Members</h2>
          {load.data?.group && (
            <div className="flex min-w-56 items-center gap-2" title="Live calls of the members against the sum of their caps">
              <span className="text-sm font-medium whitespace-nowrap tabular-nums text-slate-900">
                {occupancyText(load.data.group.live_calls, load.data.group.capacity)}
                {load.data.group.at_capacity && load.data.group.live_calls > 0 ? ': new calls go to the fallback' : ''}
              </span>
              <OccupancyBar live={load.data.group.live_calls} cap={load.data.group.capacity} label={`Live calls of ${g.name}`} />
            </div>
          )}
          <p className="text-xs text-slate-600">
            {canWrite ? 'Drag to set the priority order. ' : ''}Share of calls over the last {SHARE_DAYS} days.
          </p>
        </div>
        {g.members.length === 0 ? (
          <p className="px-4 py-6 text-sm text-slate-600">No members yet: calls to this group go to the fallback route until you add agents.</p>
        ) : (
          <GroupMembers group={g} shares={shareMap} live={load.data?.members} canWrite={canWrite} />
        )}
        {canWrite && (
          <div className="border-t border-slate-200 bg-slate-50/60 px-4 py-4">
            <AddMemberForm group={g} agents={agents.data?.data ?? []} />
          </div>
        )}
      </Card>
      {editing && <GroupFormDialog group={g} onClose={() => setEditing(false)} />}
      <ConfirmDialog
        open={deleting}
        title={`Delete ${g.name}?`}
        confirmLabel="Delete group"
        pending={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(false)}
        onConfirm={() => remove.mutate(g.id)}
      >
        <p>The agents stay; only the group goes. A group that a rule or the fallback route targets cannot be deleted.</p>
      </ConfirmDialog>
    </>
  );
}
