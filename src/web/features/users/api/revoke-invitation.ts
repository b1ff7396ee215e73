import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { invitationsQueryKey } from './get-invitations.js';

export function revokeInvitation(id: number): Promise<null> {
  return api.delete<null>(`/api/users/invitations/${id}`);
}

export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: revokeInvitation, onSettled: () => queryClient.invalidateQueries({ queryKey: invitationsQueryKey }) });
}
