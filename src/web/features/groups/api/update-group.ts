import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AgentGroupInput } from '../../../../core/schemas/agent-group.js';
import { api } from '../../../lib/api-client.js';
import { groupQueryKey, type GroupDetail } from './get-group.js';
import { groupsQueryKey } from './get-groups.js';

export function updateGroup({ id, input }: { id: number; input: Partial<AgentGroupInput> }): Promise<GroupDetail> {
  return api.put<GroupDetail>(`/api/agent-groups/${id}`, input);
}

export function useUpdateGroup({ onSuccess }: { onSuccess?: (group: GroupDetail) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateGroup,
    onSuccess: async (group) => {
      queryClient.setQueryData(groupQueryKey(group.id), group);
      await queryClient.invalidateQueries({ queryKey: groupsQueryKey });
      onSuccess?.(group);
    },
  });
}
