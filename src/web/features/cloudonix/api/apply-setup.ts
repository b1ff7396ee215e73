import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { connectionQueryKey } from './get-connection.js';
import { setupQueryKey } from './get-setup.js';
import type { ApplySetupInput, SetupResult } from './types.js';

/** Carries out the planned changes at Cloudonix, then reads the domain back: `verified` when nothing is left to do. */
export function applySetup(input: ApplySetupInput): Promise<SetupResult> {
  return api.post<SetupResult>('/api/cloudonix/setup', input);
}

export function useApplySetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: applySetup,
    onSuccess: async (result) => {
      // The read-back is the newest wiring report; the connection now has a last set-up time.
      queryClient.setQueryData(setupQueryKey, result.after);
      await queryClient.invalidateQueries({ queryKey: connectionQueryKey });
    },
  });
}
