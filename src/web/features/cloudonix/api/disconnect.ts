import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

/** Forgets the domain API key: the console can no longer act at Cloudonix (webhooks keep working). */
export function disconnect(): Promise<void> {
  return api.delete<void>('/api/cloudonix/connection');
}

export function useDisconnect({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: disconnect,
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: [queryRoots.cloudonix, 'setup'] });
      await queryClient.invalidateQueries({ queryKey: [queryRoots.cloudonix] });
      onSuccess?.();
    },
  });
}
