import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ProviderPoolInput, UpdateProviderPoolInput } from '../../../../core/schemas/provider-pool.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';
import { poolsQueryKey, type ProviderPool } from './get-pools.js';

export function createPool(input: ProviderPoolInput): Promise<ProviderPool> {
  return api.post<ProviderPool>('/api/provider-pools', input);
}

export function updatePool({ id, input }: { id: number; input: UpdateProviderPoolInput }): Promise<ProviderPool> {
  return api.put<ProviderPool>(`/api/provider-pools/${id}`, input);
}

/** Pools and the occupancy that shows them (a new limit changes "3 of 10 busy"). */
async function refresh(queryClient: ReturnType<typeof useQueryClient>) {
  await Promise.all([queryClient.invalidateQueries({ queryKey: poolsQueryKey }), queryClient.invalidateQueries({ queryKey: [queryRoots.calls, 'occupancy'] })]);
}

export function useCreatePool({ onSuccess }: { onSuccess?: (pool: ProviderPool) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createPool,
    onSuccess: async (pool) => {
      await refresh(queryClient);
      onSuccess?.(pool);
    },
  });
}

export function useUpdatePool({ onSuccess }: { onSuccess?: (pool: ProviderPool) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updatePool,
    onSuccess: async (pool) => {
      await refresh(queryClient);
      onSuccess?.(pool);
    },
  });
}
