import { useMutation } from '@tanstack/react-query';
import type { ForgotPasswordInput } from '../../../../core/schemas/account.js';
import { api } from '../../../lib/api-client.js';

/** Asks for a reset link by email; the answer is the same whether or not the email has an account. */
export function forgotPassword(input: ForgotPasswordInput): Promise<{ message: string }> {
  return api.post<{ message: string }>('/api/auth/forgot-password', input);
}

export function useForgotPassword() {
  return useMutation({ mutationFn: forgotPassword });
}
