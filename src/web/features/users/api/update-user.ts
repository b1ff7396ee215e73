import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateUserInput } from '../../../../core/schemas/user.js';
import { api } from '../../../lib/api-client.js';
import { usersQueryKey, type User } from './get-users.js';

/** Rename, change role, deactivate (signs them out everywhere) or reactivate. */
export function updateUser({ id, input }: { id: number; input: UpdateUserInput }): Promise<User> {
  return api.patch<User>(`/api/users/${id}`, input);
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSettled: () => queryClient.invalidateQueries({ queryKey: usersQueryKey }),
  });
}
