import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SignupPolicyView } from '../../../../core/schemas/account.js';
import { api } from '../../../lib/api-client.js';

export type SignupPolicy = SignupPolicyView;

/** Whether this installation lets a tenant register itself now (SIGNUP), and whether a forgotten password can be emailed. */
export function getSignupPolicy(signal?: AbortSignal): Promise<SignupPolicy> {
  return api.get<SignupPolicy>('/api/auth/signup-policy', signal ? { signal } : {});
}

export const signupPolicyQueryKey = ['auth', 'signup-policy'] as const;

export function useSignupPolicy() {
  return useQuery(queryOptions({ queryKey: signupPolicyQueryKey, queryFn: ({ signal }) => getSignupPolicy(signal), staleTime: 30_000 }));
}
