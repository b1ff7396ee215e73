import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { groupsQueryKey } from './get-groups.js';

/** 409 while a rule or the fallback route targets the group. */
export function deleteGroup(id: number): Promise<void> {
  return api.delete<void>(`/api/agent-groups/${id}`);
}

export function useDeleteGroup({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteGroup,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: groupsQueryKey });
      onSuccess?.();
    },
  });
}
