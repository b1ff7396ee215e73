import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RotatedWebhookSecret } from '../../../../core/schemas/tenant.js';
import { api } from '../../../lib/api-client.js';
import { tenantQueryKey } from './get-tenant.js';

/** Replaces the webhook secret; the old one keeps working for the tenant's grace period, then Cloudonix must have the new URLs. */
export function rotateWebhookSecret(): Promise<RotatedWebhookSecret> {
  return api.post<RotatedWebhookSecret>('/api/tenant/webhook-credentials/rotate');
}

export function useRotateWebhookSecret({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: rotateWebhookSecret,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: tenantQueryKey });
      onSuccess?.();
    },
  });
}
