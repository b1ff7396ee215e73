import { queryOptions, useQuery } from '@tanstack/react-query';
import type { InvitationView } from '../../../../core/schemas/account.js';
import { api } from '../../../lib/api-client.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type Invitation = InvitationView;

export function getInvitations(signal?: AbortSignal): Promise<{ data: Invitation[] }> {
  return api.get<{ data: Invitation[] }>('/api/users/invitations', signal ? { signal } : {});
}

export const invitationsQueryKey = [queryRoots.users, 'invitations'] as const;

/** Pending invitations (admins only). */
export function useInvitations(enabled: boolean) {
  return useQuery({ ...queryOptions({ queryKey: invitationsQueryKey, queryFn: ({ signal }) => getInvitations(signal) }), enabled });
}
