import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { clearToken, getToken } from '../../../lib/auth-store.js';

/** Revokes a token on the server. */
export function logout(token: string): Promise<void> {
  return api.post<void>('/api/auth/logout', undefined, { token });
}

/**
 * Signs out locally first, then revokes the token on the server: once the token
 * is revoked, any request still made with it (a poll, a refetch) would be a 401,
 * so none is left to make. A user who clicks "Sign out" ends up signed out even
 * if the server call fails (the token may already be revoked).
 */
export function useLogout({ onSettled }: { onSettled?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      const token = getToken();
      await queryClient.cancelQueries();
      clearToken();
      queryClient.removeQueries();
      if (token) await logout(token);
    },
    onSettled: () => onSettled?.(),
  });
}
