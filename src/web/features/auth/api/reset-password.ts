import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ResetPasswordInput } from '../../../../core/schemas/account.js';
import { api } from '../../../lib/api-client.js';
import { setToken } from '../../../lib/auth-store.js';
import type { IssuedToken } from './login.js';

/** Sets a new password with a reset link's token; every other session ends and this browser is signed in. */
export function resetPassword(input: ResetPasswordInput): Promise<IssuedToken> {
  return api.post<IssuedToken>('/api/auth/reset-password', input, { token: '' });
}

export function useResetPassword({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetPassword,
    onSuccess: (result) => {
      queryClient.removeQueries();
      setToken(result.token);
      onSuccess?.();
    },
  });
}
