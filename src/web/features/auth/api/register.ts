import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RegisterInput } from '../../../../core/schemas/auth.js';
import { api } from '../../../lib/api-client.js';
import { setToken } from '../../../lib/auth-store.js';
import type { IssuedToken } from './login.js';

/** Creates a tenant for one Cloudonix domain and its first admin, who is signed in at once. */
export function register(input: RegisterInput): Promise<IssuedToken> {
  return api.post<IssuedToken>('/api/auth/register', input);
}

export function useRegister({ onSuccess }: { onSuccess?: (result: IssuedToken) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: register,
    onSuccess: (result) => {
      queryClient.removeQueries();
      setToken(result.token);
      onSuccess?.(result);
    },
  });
}
