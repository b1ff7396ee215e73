import type { z } from 'zod';
import { invalidFields, type AppError } from './errors.js';

/** Zod issues as the API's `details.fields` map: `{ 'settings.window_hours': ['...'] }`. */
export function fieldsOf(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const name = issue.path.length > 0 ? issue.path.join('.') : 'body';
    (fields[name] ??= []).push(issue.message);
  }
  return fields;
}

/** Parses `value` or throws the 422 the HTTP layer would have answered. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

export function validationError(error: z.ZodError): AppError {
  return invalidFields(fieldsOf(error));
}
