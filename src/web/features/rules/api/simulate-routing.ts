import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export interface SimulateInput {
  from: string;
  to: string;
  /** A date-time to try (without a zone: the tenant's); empty: now. */
  when?: string;
}

interface Candidate {
  agent_id: number;
  name: string;
  provider: string;
}

/** What `POST /api/routing/simulate` answers: the decision the engine would make now. */
export interface Simulation {
  direction: 'inbound' | 'outbound';
  matched_rule: { id: number; kind: 'inbound' | 'outbound'; name: string | null; pattern: string } | null;
  target: { type: 'agent' | 'group'; id: number } | null;
  strategy: string | null;
  candidates: Candidate[];
  skipped: { agent_id: number; reason: string }[];
  would_choose: Candidate | null;
  outbound: { number: string; trunks: string; caller_id: string | null } | null;
  fallback: { type: string; reason: string } | null;
  /** Returning callers: the agent that last took this caller, and whether the call would go back to it or why not. */
  sticky?: { agent_id: number; used: boolean; reason: string } | null;
  /** The split arm the next call would take (null without a split). */
  split?: { rule_id: number; arm: string; counter: number } | null;
  /** Rules that matched but were closed by their schedule at the moment tried. */
  schedule_skipped: { rule_id: number; name: string | null; reason: 'outside_hours' | 'holiday' }[];
  /** The moment tried (ISO), or null for now. */
  when: string | null;
  time_zone: string;
}

/** Runs the routing engine on a number without placing, recording or advancing anything. */
export function simulateRouting(input: SimulateInput): Promise<Simulation> {
  return api.post<Simulation>('/api/routing/simulate', input);
}

export function useSimulateRouting() {
  return useMutation({ mutationFn: simulateRouting });
}
