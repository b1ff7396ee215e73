import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateMemberInput } from '../../../../core/schemas/agent-group.js';
import { api } from '../../../lib/api-client.js';
import { groupQueryKey, type GroupDetail } from './get-group.js';

export interface MemberChange {
  groupId: number;
  memberId: number;
  input: UpdateMemberInput;
}

export function updateGroupMember({ groupId, memberId, input }: MemberChange): Promise<GroupDetail> {
  return api.put<GroupDetail>(`/api/agent-groups/${groupId}/members/${memberId}`, input);
}

/** Several members at once (a drag-and-drop reorder renumbers priorities), one request each, in order. */
export async function updateGroupMembers(changes: readonly MemberChange[]): Promise<GroupDetail | undefined> {
  let last: GroupDetail | undefined;
  for (const change of changes) last = await updateGroupMember(change);
  return last;
}

export function useUpdateGroupMembers(groupId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateGroupMembers,
    onSettled: () => queryClient.invalidateQueries({ queryKey: groupQueryKey(groupId) }),
  });
}
