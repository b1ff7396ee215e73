import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { tenantQueryKey } from './get-tenant.js';

/** Stops accepting the secret the last rotation replaced, before its grace period ends (after a leak). */
export function endWebhookSecretGrace(): Promise<void> {
  return api.delete<void>('/api/tenant/webhook-credentials/previous');
}

export function useEndWebhookSecretGrace({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: endWebhookSecretGrace,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: tenantQueryKey });
      onSuccess?.();
    },
  });
}
