import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { createExportBody } from '../../../../core/schemas/exports.js';
import { api } from '../../../lib/api-client.js';
import { exportsQueryKey, type Export } from './get-exports.js';

/** The body as sent (filters as the user typed them; the server parses them). */
export type CreateExportRequest = z.input<typeof createExportBody>;

/** Starts an export in the background: 202 with the export, then follow its progress. */
export function createExport(input: CreateExportRequest): Promise<Export> {
  return api.post<Export>('/api/exports', input);
}

export function useCreateExport({ onSuccess }: { onSuccess?: (e: Export) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createExport,
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: exportsQueryKey });
      onSuccess?.(created);
    },
  });
}
