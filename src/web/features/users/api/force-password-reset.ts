import { useMutation } from '@tanstack/react-query';
import type { ForcedResetView } from '../../../../core/schemas/account.js';
import { api } from '../../../lib/api-client.js';

export type ForcedReset = ForcedResetView;

/** Signs the user out, voids their password and sends them a link; `reset_url` is set when it was not emailed. */
export function forcePasswordReset(userId: number): Promise<ForcedReset> {
  return api.post<ForcedReset>(`/api/users/${userId}/password-reset`);
}

export function useForcePasswordReset() {
  return useMutation({ mutationFn: forcePasswordReset });
}
