import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { clearToken } from '../../../lib/auth-store.js';

/** Revokes the current token on the server. */
export function logout(): Promise<void> {
  return api.post<void>('/api/auth/logout');
}

/**
 * Signs out locally whether or not the server call succeeds: a user who clicks
 * "Sign out" must end up signed out even if the token was already revoked.
 */
export function useLogout({ onSettled }: { onSettled?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: () => {
      clearToken();
      queryClient.removeQueries();
      onSettled?.();
    },
  });
}
