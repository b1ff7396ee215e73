import { useQuery } from '@tanstack/react-query';
import { normalizeServiceValue } from '../../../../core/schemas/voice-agent.js';
import type { Provider } from '../../../../core/providers.js';
import { agentsQueryKey, getAgents, type VoiceAgent } from './get-agents.js';

/** The list's search takes up to 100 characters; longer values are matched exactly afterwards. */
const SEARCH_MAX = 100;

export interface Namesakes {
  /** Another agent with this name (any case): the server refuses to save it. */
  sameName: VoiceAgent | undefined;
  /** Other agents that dial this number or URL: allowed, but worth a second look. */
  sameTarget: VoiceAgent[];
}

interface Probe {
  name: string;
  serviceValue: string;
  provider: Provider | undefined;
  /** The agent being edited, which does not count. */
  exceptId: number | undefined;
}

/**
 * Other agents sharing the form's name or target, found with the list's search (name or
 * service value) as the user leaves each field, so the form warns before Save.
 */
export function useNamesakes({ name, serviceValue, provider, exceptId }: Probe) {
  const trimmedName = name.trim();
  const target = provider ? normalizeServiceValue(provider, serviceValue.trim()) : serviceValue.trim();
  return useQuery({
    queryKey: [...agentsQueryKey, 'namesakes', trimmedName, target, exceptId ?? null],
    enabled: trimmedName !== '' || target !== '',
    staleTime: 10_000,
    queryFn: async ({ signal }): Promise<Namesakes> => {
      const [byName, byTarget] = await Promise.all([
        trimmedName === '' ? null : getAgents({ search: trimmedName.slice(0, SEARCH_MAX), per_page: 100 }, signal),
        target === '' ? null : getAgents({ search: target.slice(0, SEARCH_MAX), per_page: 100 }, signal),
      ]);
      const others = (list: VoiceAgent[] | undefined) => (list ?? []).filter((a) => a.id !== exceptId);
      return {
        sameName: others(byName?.data).find((a) => a.name.toLowerCase() === trimmedName.toLowerCase()),
        sameTarget: others(byTarget?.data).filter((a) => a.service_value === target),
      };
    },
  });
}
