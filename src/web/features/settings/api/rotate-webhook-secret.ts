import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { WebhookUrls } from '../../../../core/schemas/tenant.js';
import { api } from '../../../lib/api-client.js';
import { tenantQueryKey } from './get-tenant.js';

export interface RotatedSecret {
  webhook_secret: string;
  webhook_urls: WebhookUrls;
}

/** Replaces the webhook secret; the old one stops working at once, so Cloudonix must get the new URLs. */
export function rotateWebhookSecret(): Promise<RotatedSecret> {
  return api.post<RotatedSecret>('/api/tenant/webhook-credentials/rotate');
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
