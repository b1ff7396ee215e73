import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateUserInput } from '../../../../core/schemas/user.js';
import { api } from '../../../lib/api-client.js';
import { usersQueryKey, type User } from './get-users.js';

/** Adds an admin or an analyst, who signs in with this email and password. */
export function createUser(input: CreateUserInput): Promise<User> {
  return api.post<User>('/api/users', input);
}

export function useCreateUser({ onSuccess }: { onSuccess?: () => void } = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: usersQueryKey });
      onSuccess?.();
    },
  });
}
