import type { ZodError } from 'zod';
import { ApiError } from './api-client.js';

/** Messages per form field, e.g. `{ email: ['must be a valid email address'] }`. */
export type FieldErrors = Partial<Record<string, string[]>>;

/** Groups a failed `safeParse` by top-level field, in the order zod reported them. */
export function zodFieldErrors(error: ZodError): FieldErrors {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const name = String(issue.path[0] ?? 'form');
    (out[name] ??= []).push(issue.message);
  }
  return out;
}

/** Field messages the server sent (422 validation, 409 conflict), limited to fields the form shows. */
export function apiFieldErrors(error: unknown, known: readonly string[]): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string[]> = {};
  for (const [name, messages] of Object.entries(error.fields)) {
    if (known.includes(name)) out[name] = [...messages];
  }
  return out;
}

/**
 * Server and schema messages are fragments ("is required"), so they read as
 * "Email is required" under the field; full sentences are shown as they are.
 */
export function fieldMessage(label: string, message: string): string {
  const first = message.charAt(0);
  return first !== '' && first === first.toLowerCase() && first !== first.toUpperCase() ? `${label} ${message}` : message;
}
