import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AgentGroupInput } from '../../../../core/schemas/agent-group.js';
import { api } from '../../../lib/api-client.js';
import type { GroupDetail } from './get-group.js';
import { groupsQueryKey } from './get-groups.js';

export function createGroup(input: AgentGroupInput): Promise<GroupDetail> {
  return api.post<GroupDetail>('/api/agent-groups', input);
}

export function useCreateGroup({ onSuccess }: { onSuccess?: (group: GroupDetail) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createGroup,
    onSuccess: async (group) => {
      await queryClient.invalidateQueries({ queryKey: groupsQueryKey });
      onSuccess?.(group);
    },
  });
}
