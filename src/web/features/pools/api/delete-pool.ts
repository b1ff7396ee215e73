import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';
import { poolsQueryKey } from './get-pools.js';

/** 409 naming the agents while any is still in the pool. */
export function deletePool(id: number): Promise<void> {
  return api.delete<void>(`/api/provider-pools/${id}`);
}

export function useDeletePool({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deletePool,
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: poolsQueryKey }), queryClient.invalidateQueries({ queryKey: [queryRoots.calls, 'occupancy'] })]);
      onSuccess?.();
    },
  });
}
