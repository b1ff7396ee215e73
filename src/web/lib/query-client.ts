import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client.js';
import { clearToken, getToken } from './auth-store.js';

/**
 * The one client error policy. A 401 on a request that carried a token means the
 * session is over (revoked, expired, user deactivated): drop the token, and the
 * authenticated layout, which watches the token, sends the user to /login.
 * A 401 without a token (a wrong password on the login form) is left to the form.
 */
function onError(error: unknown): void {
  if (error instanceof ApiError && error.status === 401 && getToken() !== null) clearToken();
}

/** Client errors (4xx) will not change on retry; network and 5xx failures might. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
    mutations: { retry: false },
  },
});
