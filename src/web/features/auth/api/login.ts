import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginInput } from '../../../../core/schemas/auth.js';
import type { UserView } from '../../../../core/schemas/user.js';
import { api } from '../../../lib/api-client.js';
import { setToken } from '../../../lib/auth-store.js';

/** `POST /api/auth/login` and `/register` both answer with a user and a fresh token. */
export interface IssuedToken {
  user: UserView;
  token: string;
  expires_at: string;
}

export function login(input: LoginInput): Promise<IssuedToken> {
  return api.post<IssuedToken>('/api/auth/login', input);
}

export function useLogin({ onSuccess }: { onSuccess?: (result: IssuedToken) => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (result) => {
      // Nothing cached belongs to the new session.
      queryClient.removeQueries();
      setToken(result.token);
      onSuccess?.(result);
    },
  });
}
