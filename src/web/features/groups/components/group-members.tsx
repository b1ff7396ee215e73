import { Trash2 } from 'lucide-react';
import { useMemo, useState } from 'react';
import type { MemberView } from '../../../../core/schemas/agent-group.js';
import { Alert } from '../../../components/ui/alert.js';
import { Badge } from '../../../components/ui/badge.js';
import { Button } from '../../../components/ui/button.js';
import { OccupancyBar, occupancyText } from '../../../components/ui/occupancy-bar.js';
import { SortableList } from '../../../components/ui/sortable-list.js';
import { formatPercent, plural } from '../../../lib/format.js';
import type { GroupDetail } from '../api/get-group.js';
import { useRemoveGroupMember } from '../api/remove-group-member.js';
import { useUpdateGroupMembers, type MemberChange } from '../api/update-group-member.js';
import { MemberNumberInput } from './member-number-input.js';

export interface MemberShare {
  calls: number;
  share: number;
}

interface GroupMembersProps {
  group: GroupDetail;
  /** Share of the group's calls per agent id over the chosen period. */
  shares: ReadonlyMap<number, MemberShare>;
  /** Live calls per agent id, now; absent while it loads. */
  live?: ReadonlyMap<number, { live_calls: number }> | undefined;
  canWrite: boolean;
}

const byPriority = (a: MemberView, b: MemberView) => a.priority - b.priority || a.id - b.id;

/** The members in priority order: drag to reorder (priorities become 1, 2, 3…), edit capacity and priority inline. */
export function GroupMembers({ group, shares, live, canWrite }: GroupMembersProps) {
  const save = useUpdateGroupMembers(group.id);
  // Inline edits answer next to their field, so they have their own mutation (and no alert above the list).
  const edit = useUpdateGroupMembers(group.id);
  const remove = useRemoveGroupMember(group.id);
  const [pendingOrder, setPendingOrder] = useState<MemberView[] | null>(null);
  const members = useMemo(() => pendingOrder ?? [...group.members].sort(byPriority), [pendingOrder, group.members]);

  const reorder = (next: MemberView[]) => {
    const changes: MemberChange[] = next
      .map((m, i) => ({ member: m, priority: i + 1 }))
      .filter(({ member, priority }) => member.priority !== priority)
      .map(({ member, priority }) => ({ groupId: group.id, memberId: member.id, input: { priority } }));
    if (changes.length === 0) return;
    setPendingOrder(next);
    save.mutate(changes, { onSettled: () => setPendingOrder(null) });
  };
  const change = (member: MemberView, input: MemberChange['input']) => edit.mutateAsync([{ groupId: group.id, memberId: member.id, input }]);
  const error = save.error ?? remove.error;

  return (
    <div>
      {error && (
        <div className="p-4">
          <Alert title="Could not change the members">{error.message}</Alert>
        </div>
      )}
      <div className="hidden grid-cols-[2rem_minmax(0,1fr)_6rem_6rem_10rem_2.5rem] gap-3 bg-slate-50 px-4 py-2 text-xs font-semibold uppercase tracking-wide text-slate-600 md:grid">
        <span />
        <span>Agent</span>
        <span>Priority</span>
        <span>Capacity</span>
        <span>Share of calls</span>
        <span />
      </div>
      <SortableList
        label={`Members of ${group.name}`}
        items={members}
        getId={(m) => m.id}
        itemLabel={(m) => m.agent_name}
        disabled={!canWrite || save.isPending}
        onReorder={reorder}
        renderItem={(member, handle) => {
          const share = shares.get(member.agent_id);
          return (
            <div className="grid grid-cols-[2rem_minmax(0,1fr)_auto] items-center gap-3 px-4 py-3 md:grid-cols-[2rem_minmax(0,1fr)_6rem_6rem_10rem_2.5rem]">
              <span>{handle}</span>
              <div className="min-w-0">
                <p className="truncate font-medium text-slate-900">{member.agent_name}</p>
                <div className="mt-1 flex flex-wrap gap-1.5">
                  <span className="text-xs text-slate-600">{member.provider_name}</span>
                  {!member.agent_enabled && <Badge>Disabled</Badge>}
                  <MemberHealth status={member.health_status} />
                </div>
                {live && (
                  <div className="mt-1.5 flex max-w-56 items-center gap-2">
                    <span className="text-xs whitespace-nowrap tabular-nums text-slate-700">{occupancyText(live.get(member.agent_id)?.live_calls ?? 0, member.max_concurrent_calls)}</span>
                    <OccupancyBar live={live.get(member.agent_id)?.live_calls ?? 0} cap={member.max_concurrent_calls} label={`Live calls of ${member.agent_name}`} />
                  </div>
                )}
              </div>
              <div className="col-start-2 flex flex-wrap items-center gap-3 md:col-start-auto md:contents">
                <label className="flex items-center gap-2 text-xs text-slate-600 md:block">
                  <span className="md:sr-only">Priority</span>
                  <MemberNumber canWrite={canWrite} label={`Priority of ${member.agent_name}`} value={member.priority} onCommit={(priority) => change(member, { priority })} />
                </label>
                <label className="flex items-center gap-2 text-xs text-slate-600 md:block">
                  <span className="md:sr-only">Capacity</span>
                  <MemberNumber canWrite={canWrite} label={`Capacity of ${member.agent_name}`} value={member.capacity} onCommit={(capacity) => change(member, { capacity })} />
                </label>
                <ShareBar name={member.agent_name} share={share} />
              </div>
              <div className="row-start-1 col-start-3 md:col-start-auto md:row-start-auto">
                {canWrite && (
                  <Button
                    variant="ghost"
                    className="px-2 hover:text-red-700"
                    aria-label={`Remove ${member.agent_name} from ${group.name}`}
                    loading={remove.isPending && remove.variables.memberId === member.id}
                    onClick={() => remove.mutate({ groupId: group.id, memberId: member.id })}
                    icon={<Trash2 className="size-4" aria-hidden="true" />}
                  />
                )}
              </div>
            </div>
          );
        }}
      />
    </div>
  );
}

/** Only what needs a look: healthy members carry no badge. */
function MemberHealth({ status }: { status: MemberView['health_status'] }) {
  if (status === 'unhealthy') return <Badge tone="red">Unhealthy</Badge>;
  if (status === 'never_tried') {
    return (
      <span title="No call has been sent to this agent yet, so nothing shows it answers">
        <Badge tone="gray">Never tried</Badge>
      </span>
    );
  }
  if (status === 'unknown') return <Badge tone="gray">Health unknown</Badge>;
  return null;
}

function MemberNumber({ canWrite, ...props }: { canWrite: boolean; label: string; value: number; onCommit: (n: number) => Promise<unknown> }) {
  if (!canWrite) return <span className="tabular-nums text-sm text-slate-900">{props.value}</span>;
  return <MemberNumberInput {...props} />;
}

function ShareBar({ name, share }: { name: string; share: MemberShare | undefined }) {
  const value = share?.share ?? 0;
  return (
    <div className="w-40 md:w-auto" title={`${name}: ${plural(share?.calls ?? 0, 'call')}`}>
      <div className="flex items-baseline justify-between text-xs">
        <span className="font-medium tabular-nums text-slate-900">{formatPercent(value)}</span>
        <span className="text-slate-600">{plural(share?.calls ?? 0, 'call')}</span>
      </div>
      <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
        <div className="h-full rounded-full bg-indigo-500 transition-[width] duration-500" style={{ width: `${Math.min(100, value)}%` }} />
      </div>
    </div>
  );
}
