import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { VoiceAgentView } from '../../../../core/schemas/voice-agent.js';
import { api } from '../../../lib/api-client.js';
import { toQueryString, type Paged } from '../../../lib/paged.js';
import { queryRoots } from '../../../lib/query-keys.js';

export type VoiceAgent = VoiceAgentView;

export interface AgentListParams {
  search?: string | undefined;
  enabled?: 'true' | 'false' | undefined;
  provider?: string | undefined;
  page?: number;
  per_page?: number;
}

export function getAgents(params: AgentListParams, signal?: AbortSignal): Promise<Paged<VoiceAgent>> {
  return api.get<Paged<VoiceAgent>>(`/api/voice-agents${toQueryString({ ...params })}`, signal ? { signal } : {});
}

export const agentsQueryKey = [queryRoots.agents] as const;

export function getAgentsQueryOptions(params: AgentListParams) {
  return queryOptions({ queryKey: [...agentsQueryKey, 'list', params], queryFn: ({ signal }) => getAgents(params, signal) });
}

export function useAgents(params: AgentListParams) {
  return useQuery({ ...getAgentsQueryOptions(params), placeholderData: keepPreviousData });
}

/** Every agent (up to 100), for pickers in other pages. */
export function useAllAgents() {
  return useQuery(getAgentsQueryOptions({ per_page: 100 }));
}
