import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreatedInvitationView, CreateInvitationInput } from '../../../../core/schemas/account.js';
import { api } from '../../../lib/api-client.js';
import { invitationsQueryKey } from './get-invitations.js';

export type CreatedInvitation = CreatedInvitationView;

/** Invites someone by email; `accept_url` is set when no email carried the link. */
export function createInvitation(input: CreateInvitationInput): Promise<CreatedInvitation> {
  return api.post<CreatedInvitation>('/api/users/invitations', input);
}

export function useCreateInvitation({ onSuccess }: { onSuccess?: (created: CreatedInvitation) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createInvitation,
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: invitationsQueryKey });
      onSuccess?.(created);
    },
  });
}
