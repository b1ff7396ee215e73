import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';
import { connectionQueryKey } from './get-connection.js';
import type { CloudonixConnection, UpdateConnectionInput } from './types.js';

/** Stores a new domain API key (Cloudonix checks it first) and/or changes the options; what is not given is kept. */
export function updateConnection(input: UpdateConnectionInput): Promise<CloudonixConnection> {
  return api.put<CloudonixConnection>('/api/cloudonix/connection', input);
}

export function useUpdateConnection({ onSuccess }: { onSuccess?: (connection: CloudonixConnection) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateConnection,
    onSuccess: async (connection) => {
      queryClient.setQueryData(connectionQueryKey, connection);
      // A new key may see another domain state: a wiring report from the old one no longer holds.
      await queryClient.invalidateQueries({ queryKey: [queryRoots.cloudonix, 'setup'] });
      onSuccess?.(connection);
    },
  });
}
