import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { groupQueryKey } from './get-group.js';
import { groupsQueryKey } from './get-groups.js';

export function removeGroupMember({ groupId, memberId }: { groupId: number; memberId: number }): Promise<void> {
  return api.delete<void>(`/api/agent-groups/${groupId}/members/${memberId}`);
}

export function useRemoveGroupMember(groupId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeGroupMember,
    onSuccess: () =>
      Promise.all([queryClient.invalidateQueries({ queryKey: groupQueryKey(groupId) }), queryClient.invalidateQueries({ queryKey: groupsQueryKey })]),
  });
}
