import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AcceptInvitationInput, InvitationPreview } from '../../../../core/schemas/account.js';
import { api } from '../../../lib/api-client.js';
import { setToken } from '../../../lib/auth-store.js';
import type { IssuedToken } from './login.js';

/** Who an invitation link is for (the token goes in the body, never in a URL the server logs). */
export function lookupInvitation(token: string, signal?: AbortSignal): Promise<InvitationPreview> {
  return api.post<InvitationPreview>('/api/invitations/lookup', { token }, { token: '', ...(signal ? { signal } : {}) });
}

/** `enabled` false once accepted: the used link would answer 404 if asked again while the page leaves. */
export function useInvitation(token: string, enabled = true) {
  return useQuery(queryOptions({ queryKey: ['auth', 'invitation', token], queryFn: ({ signal }) => lookupInvitation(token, signal), enabled: enabled && token !== '', retry: false, staleTime: Infinity }));
}

/** Accepts: the new user is created with this password and signed in. */
export function acceptInvitation(input: AcceptInvitationInput): Promise<IssuedToken> {
  return api.post<IssuedToken>('/api/invitations/accept', input, { token: '' });
}

export function useAcceptInvitation({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acceptInvitation,
    onSuccess: (result) => {
      queryClient.removeQueries();
      setToken(result.token);
      onSuccess?.();
    },
  });
}
