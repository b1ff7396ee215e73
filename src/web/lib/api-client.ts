import type { ErrorCode } from '../../core/errors.js';
import { getToken } from './auth-store.js';

/** Codes the client adds for failures that never reached our error handler. */
export type ClientErrorCode = 'network_error' | 'unexpected_response';

/** Any failed API call: the server's `{error:{code,message,details,requestId}}`, typed. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | ClientErrorCode;
  /** Per-field messages from `details.fields` (422 validation, 409 conflicts). */
  readonly fields: Readonly<Record<string, readonly string[]>>;
  readonly requestId: string | undefined;

  constructor(status: number, code: ErrorCode | ClientErrorCode, message: string, fields: Record<string, string[]> = {}, requestId?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.requestId = requestId;
  }
}

interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: { fields?: Record<string, string[]> }; requestId?: string };
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error: unknown = value.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

function fieldsOf(body: ErrorBody): Record<string, string[]> {
  const fields = body.error.details?.fields;
  if (typeof fields !== 'object' || fields === null) return {};
  const out: Record<string, string[]> = {};
  for (const [name, messages] of Object.entries(fields)) {
    if (Array.isArray(messages)) out[name] = messages.filter((m): m is string => typeof m === 'string');
  }
  return out;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Sends this token instead of the stored one (sign-out, after the stored one is already gone). */
  token?: string;
}

/** One JSON request with the signed-in user's bearer token; throws `ApiError` on failure. */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = options.token ?? getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }

  const body = await readJson(response);
  if (response.ok) return body as T;
  if (isErrorBody(body)) {
    throw new ApiError(response.status, body.error.code, body.error.message, fieldsOf(body), body.error.requestId);
  }
  throw new ApiError(response.status, 'unexpected_response', `The server answered ${response.status} ${response.statusText}.`.trim());
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};
