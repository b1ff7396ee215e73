import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AgentGroupDetail } from '../../../../core/schemas/agent-group.js';
import { api } from '../../../lib/api-client.js';
import { groupsQueryKey } from './get-groups.js';

export type GroupDetail = AgentGroupDetail;

export function getGroup(id: number, signal?: AbortSignal): Promise<GroupDetail> {
  return api.get<GroupDetail>(`/api/agent-groups/${id}`, signal ? { signal } : {});
}

export const groupQueryKey = (id: number) => [...groupsQueryKey, 'detail', id] as const;

export function getGroupQueryOptions(id: number) {
  return queryOptions({ queryKey: groupQueryKey(id), queryFn: ({ signal }) => getGroup(id, signal) });
}

export function useGroup(id: number) {
  return useQuery(getGroupQueryOptions(id));
}
