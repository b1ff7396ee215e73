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
  /**
   * Turns the form into the request body before validation. Default: every named
   * control as a string. Forms with numbers, switches or nested objects pass their own.
   */
  read?: (form: HTMLFormElement) => unknown;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function isControl(target: unknown): target is Control {
  return target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement;
}

/**
 * Form state shared by the web forms: validate on submit with the server's
 * schema, show each field's messages under it (from zod or from a 422/409),
 * and anything not tied to a field (401, 429, network) as one alert message.
 * A field's server message disappears once the user edits that field.
 */
export function useSchemaForm<T>({ schema, fields, serverError, onValid, resetServerError, read }: Options<T>) {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());

  const serverFields = apiFieldErrors(serverError, fields);
  /** The field shown for an error path: itself, or the nearest shown ancestor (`trunks.0` → `trunks`). */
  const ownerOf = (path: string): string | undefined => {
    for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      if (fields.includes(p)) return p;
    }
    return undefined;
  };
  const collect = (errors: FieldErrors, name: string): string[] | undefined => {
    const messages = Object.entries(errors).flatMap(([path, list = []]) => (ownerOf(path) === name ? list : []));
    return messages.length > 0 ? messages : undefined;
  };
  const errorsFor = (name: string): string[] | undefined => collect(clientErrors, name) ?? (edited.has(name) ? undefined : collect(serverFields, name));

  let alert: string | null = null;
  if (serverError && Object.keys(serverFields).length === 0) {
    alert = serverError instanceof ApiError ? serverError.message : 'Something went wrong. Please try again.';
  }
  // Problems the schema found with no input of their own (a whole-object rule) still need saying.
  const stray = Object.entries(clientErrors)
    .filter(([name]) => ownerOf(name) === undefined)
    .flatMap(([name, messages = []]) => messages.map((m) => (name === 'form' ? m : `${name}: ${m}`)));
  if (stray.length > 0) alert = stray.join(' ');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = read ? read(form) : Object.fromEntries(new FormData(form));
    const parsed = schema.safeParse(values);
    setEdited(new Set());
    resetServerError?.();
    if (!parsed.success) {
      const errors = zodFieldErrors(parsed.error);
      setClientErrors(errors);
      const first = fields.find((name) => collect(errors, name));
      const input = first ? form.elements.namedItem(first) : null;
      if (isControl(input)) input.focus();
      return;
    }
    setClientErrors({});
    onValid(parsed.data);
  };

  /** Attach to the form's onInput: clears the messages of the field being edited. */
  const onInput = (event: FormEvent<HTMLFormElement>) => {
    const target = event.target;
    if (!isControl(target) || !target.name) return;
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
