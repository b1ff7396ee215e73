import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AddMemberInput } from '../../../../core/schemas/agent-group.js';
import { api } from '../../../lib/api-client.js';
import { groupQueryKey, type GroupDetail } from './get-group.js';
import { groupsQueryKey } from './get-groups.js';

export function addGroupMember({ groupId, input }: { groupId: number; input: AddMemberInput }): Promise<GroupDetail> {
  return api.post<GroupDetail>(`/api/agent-groups/${groupId}/members`, input);
}

export function useAddGroupMember({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addGroupMember,
    onSuccess: async (group) => {
      queryClient.setQueryData(groupQueryKey(group.id), group);
      await queryClient.invalidateQueries({ queryKey: groupsQueryKey });
      onSuccess?.();
    },
  });
}
