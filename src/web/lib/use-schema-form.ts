import { useState, type FormEvent } from 'react';
import type { ZodType } from 'zod';
import { ApiError } from './api-client.js';
import { apiFieldErrors, zodFieldErrors, type FieldErrors } from './form-errors.js';

interface Options<T> {
  /** The same zod schema the server validates this request with. */
  schema: ZodType<T>;
  /** Names of the inputs the form shows; server field errors for other names go to the alert. */
  fields: readonly string[];
  /** The last failed request, if any (a mutation's `error`). */
  serverError: unknown;
  onValid: (data: T) => void;
  /** Forgets the last failed request (a mutation's `reset`), so a stale alert goes away on resubmit. */
  resetServerError?: () => void;
}

/**
 * Form state shared by the web forms: validate on submit with the server's
 * schema, show each field's messages under it (from zod or from a 422/409),
 * and anything not tied to a field (401, 429, network) as one alert message.
 * A field's server message disappears once the user edits that field.
 */
export function useSchemaForm<T>({ schema, fields, serverError, onValid, resetServerError }: Options<T>) {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());

  const serverFields = apiFieldErrors(serverError, fields);
  const errorsFor = (name: string): string[] | undefined =>
    clientErrors[name] ?? (edited.has(name) ? undefined : serverFields[name]);

  let alert: string | null = null;
  if (serverError && Object.keys(serverFields).length === 0) {
    alert = serverError instanceof ApiError ? serverError.message : 'Something went wrong. Please try again.';
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = Object.fromEntries(new FormData(form));
    const parsed = schema.safeParse(values);
    setEdited(new Set());
    resetServerError?.();
    if (!parsed.success) {
      const errors = zodFieldErrors(parsed.error);
      setClientErrors(errors);
      const first = fields.find((name) => errors[name]);
      const input = first ? form.elements.namedItem(first) : null;
      if (input instanceof HTMLInputElement) input.focus();
      return;
    }
    setClientErrors({});
    onValid(parsed.data);
  };

  /** Attach to the form's onInput: clears the messages of the field being edited. */
  const onInput = (event: FormEvent<HTMLFormElement>) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement) || !target.name) return;
    const name = target.name;
    setEdited((prev) => (prev.has(name) ? prev : new Set(prev).add(name)));
    setClientErrors((prev) => {
      if (!prev[name]) return prev;
      const next = { ...prev };
      delete next[name];
      return next;
    });
  };

  return { errorsFor, alert, onSubmit, onInput };
}
