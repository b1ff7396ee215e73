import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { UserView } from '../../../../core/schemas/user.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString, type Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type User = UserView;

export function getUsers(page: number, signal?: AbortSignal): Promise<Paged<User>> {
  return api.get<Paged<User>>(`/api/users${toQueryString({ page, per_page: 50 })}`, signal ? { signal } : {});
}

export const usersQueryKey = [queryRoots.users] as const;

export function getUsersQueryOptions(page: number) {
  return queryOptions({ queryKey: [...usersQueryKey, page], queryFn: ({ signal }) => getUsers(page, signal) });
}

/** Admins only: the API answers 403 to analysts, so the page does not ask for them. */
export function useUsers(page: number, enabled: boolean) {
  return useQuery({ ...getUsersQueryOptions(page), placeholderData: keepPreviousData, enabled });
}
