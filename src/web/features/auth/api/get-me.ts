import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MeView } from '../../../../core/schemas/user.js';
import { api } from '../../../lib/api-client.js';
import { useToken } from '../../../lib/auth-store.js';

/** The signed-in user with role and tenant, as `GET /api/auth/me` returns it. */
export type Me = MeView;

export function getMe({ signal }: { signal?: AbortSignal } = {}): Promise<Me> {
  return api.get<Me>('/api/auth/me', signal ? { signal } : {});
}

export const meQueryKey = ['auth', 'me'] as const;

export function getMeQueryOptions() {
  return queryOptions({ queryKey: meQueryKey, queryFn: ({ signal }) => getMe({ signal }), staleTime: 5 * 60_000 });
}

/** Only asks the server while a token is held. */
export function useMe() {
  const token = useToken();
  return useQuery({ ...getMeQueryOptions(), enabled: token !== null });
}

/** Whether the signed-in user may change configuration (admins); analysts read only. */
export function useCanWrite(): boolean {
  return useMe().data?.role === 'admin';
}
