import { useMutation } from '@tanstack/react-query';
import type { TestCallBody, TestCallResult } from '../../../../core/schemas/test-call.js';
import { api } from '../../../lib/api-client.js';

/** Cloudonix rings `destination`, then dials the agent; the answer names the call's record to follow. */
export function placeTestCall(agentId: number, body: TestCallBody): Promise<TestCallResult> {
  return api.post<TestCallResult>(`/api/voice-agents/${agentId}/test-call`, body);
}

export function usePlaceTestCall(agentId: number) {
  return useMutation({ mutationFn: (body: TestCallBody) => placeTestCall(agentId, body) });
}
