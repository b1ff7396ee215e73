import type { ZodError } from 'zod';
import { ApiError } from './api-client.js';

/** Messages per form field, e.g. `{ email: ['must be a valid email address'] }`. */
export type FieldErrors = Partial<Record<string, string[]>>;

/** Groups a failed `safeParse` by field path (`settings.timezone`, as the server names them), in the order zod reported them. */
export function zodFieldErrors(error: ZodError): FieldErrors {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const name = issue.path.length > 0 ? issue.path.map(String).join('.') : 'form';
    (out[name] ??= []).push(issue.message);
  }
  return out;
}

/** Field messages the server sent (422 validation, 409 conflict), limited to fields the form shows (or their parts). */
export function apiFieldErrors(error: unknown, known: readonly string[]): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string[]> = {};
  for (const [name, messages] of Object.entries(error.fields)) {
    if (known.some((k) => name === k || name.startsWith(`${k}.`))) out[name] = [...messages];
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
