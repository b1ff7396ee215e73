import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { alertsRoot, type Alert } from './get-alerts.js';

export function acknowledgeAlert(id: number): Promise<Alert> {
  return api.post<Alert>(`/api/alerts/${id}/acknowledge`, {});
}

export function useAcknowledgeAlert() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: acknowledgeAlert, onSuccess: () => queryClient.invalidateQueries({ queryKey: [alertsRoot] }) });
}
