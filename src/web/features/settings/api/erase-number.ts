import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { EraseNumberInput, ErasureResult } from '../../../../core/schemas/audit.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type Erasure = ErasureResult;

/** Replaces a caller's number in the tenant's call records, CDRs and webhook audit with an anonymous token (admins). */
export function eraseNumber(input: EraseNumberInput): Promise<Erasure> {
  return api.post<Erasure>('/api/privacy/erase-number', input);
}

export function useEraseNumber({ onSuccess }: { onSuccess?: (result: Erasure) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: eraseNumber,
    onSuccess: async (result) => {
      // Every list that may have shown the number, and the audit log that now records the erasure.
      const roots = [queryRoots.calls, queryRoots.callRecords, queryRoots.cdrs, queryRoots.webhookAudit, queryRoots.auditLog];
      await Promise.all(roots.map((root) => queryClient.invalidateQueries({ queryKey: [root] })));
      onSuccess?.(result);
    },
  });
}
