import { useMutation } from '@tanstack/react-query';
import type { ChangePasswordInput } from '../../../../core/schemas/account.js';
import { api } from '../../../lib/api-client.js';

/** Changes the signed-in user's password; their other sessions are signed out, this one stays. */
export function changePassword(input: ChangePasswordInput): Promise<null> {
  return api.post<null>('/api/auth/password', input);
}

export function useChangePassword({ onSuccess }: { onSuccess?: () => void } = {}) {
  return useMutation({ mutationFn: changePassword, onSuccess: () => onSuccess?.() });
}
