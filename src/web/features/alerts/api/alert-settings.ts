import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AlertSettingsView, TestAlertResult, UpdateAlertSettingsInput } from '../../../../core/schemas/alert.js';
import { api } from '../../../lib/api-client.js';
import { alertsRoot } from './get-alerts.js';

const settingsKey = [alertsRoot, 'settings'] as const;

export const alertSettingsQueryOptions = queryOptions({ queryKey: settingsKey, queryFn: ({ signal }) => api.get<AlertSettingsView>('/api/alerts/settings', { signal }) });

export function useAlertSettings() {
  return useQuery(alertSettingsQueryOptions);
}

export function useUpdateAlertSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateAlertSettingsInput) => api.put<AlertSettingsView>('/api/alerts/settings', input),
    onSuccess: (view) => queryClient.setQueryData(settingsKey, view),
  });
}

/** Sends a test alert to the saved webhook and recipients. */
export function useSendTestAlert() {
  return useMutation({ mutationFn: () => api.post<TestAlertResult>('/api/alerts/settings/test', {}) });
}
