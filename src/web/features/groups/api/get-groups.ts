import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { AgentGroupView } from '../../../../core/schemas/agent-group.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString, type Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type AgentGroup = AgentGroupView;

export interface GroupListParams {
  search?: string | undefined;
  strategy?: string | undefined;
  page?: number;
  per_page?: number;
}

export function getGroups(params: GroupListParams, signal?: AbortSignal): Promise<Paged<AgentGroup>> {
  return api.get<Paged<AgentGroup>>(`/api/agent-groups${toQueryString({ ...params })}`, signal ? { signal } : {});
}

export const groupsQueryKey = [queryRoots.groups] as const;

export function getGroupsQueryOptions(params: GroupListParams) {
  return queryOptions({ queryKey: [...groupsQueryKey, 'list', params], queryFn: ({ signal }) => getGroups(params, signal) });
}

export function useGroups(params: GroupListParams) {
  return useQuery({ ...getGroupsQueryOptions(params), placeholderData: keepPreviousData });
}

/** Every group (up to 100), for pickers in other pages. */
export function useAllGroups() {
  return useQuery(getGroupsQueryOptions({ per_page: 100 }));
}
