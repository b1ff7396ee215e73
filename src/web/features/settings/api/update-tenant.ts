import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateTenantInput } from '../../../../core/schemas/tenant.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';
import { tenantQueryKey, type Tenant } from './get-tenant.js';

/** Changes the name, domain or any settings; what is not given is kept. */
export function updateTenant(input: UpdateTenantInput): Promise<Tenant> {
  return api.put<Tenant>('/api/tenant', input);
}

export function useUpdateTenant({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTenant,
    onSuccess: async (tenant) => {
      queryClient.setQueryData(tenantQueryKey, tenant);
      // The top bar shows the tenant's name and domain; analytics count days in its time zone.
      await Promise.all([queryClient.invalidateQueries({ queryKey: [queryRoots.me] }), queryClient.invalidateQueries({ queryKey: [queryRoots.analytics] })]);
      onSuccess?.();
    },
  });
}
