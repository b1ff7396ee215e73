/**
 * The one error vocabulary of the service. Every failure a client can see is an
 * `AppError` with a code from this closed list; the HTTP layer maps the code to
 * a status with `statusForCode` and renders `{ error: { code, message, details, requestId } }`.
 */
export const errorStatus = {
  bad_request: 400,
  malformed_json: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  signup_closed: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  last_admin: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  /** Cloudonix actions need the tenant's domain API key first (Settings → Cloudonix connection). */
  cloudonix_not_connected: 409,
  /** Cloudonix refused the domain API key (401/403): a different key is needed. */
  cloudonix_key_refused: 422,
  /** Cloudonix could not do what was asked (details: { kind, status }); the message says why in words. */
  cloudonix_failed: 424,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  /** Extra response headers, e.g. Retry-After for rate limiting. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function statusForCode(code: ErrorCode): number {
  return errorStatus[code];
}

/** 404 that never reveals whether the row exists in another tenant. */
export function notFound(what: string): AppError {
  return new AppError('not_found', `${what} not found`);
}

/** 422 naming each bad field: `{ fields: { email: ['already taken'] } }`. */
export function invalidFields(fields: Record<string, string[]>, message = 'The given data was invalid.'): AppError {
  return new AppError('validation_failed', message, { fields });
}
