import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, statusForCode, type ErrorCode, type ErrorDetails } from '../../core/errors.js';
import type { Logger } from '../../services/logger.js';
import { createRepeatedLog } from '../../services/repeated-log.js';
import { isDatabaseUnavailable } from '../../store/dialect.js';

/** How long a client is asked to wait before retrying while the database is away. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * The one error format: `{ error: { code, message, details?, requestId } }`.
 * Every failure becomes an AppError-shaped body; unknown errors are logged and
 * answered 500 without their message.
 */
function send(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, message: string, details?: ErrorDetails) {
  const error: Record<string, unknown> = { code, message, requestId: request.id };
  if (details) error.details = details;
  return reply.status(statusForCode(code)).type('application/json; charset=utf-8').send(JSON.stringify({ error }));
}

function fieldName(instancePath: string, context: string): string {
  const path = instancePath.replace(/^\//, '').replace(/\//g, '.');
  return path === '' ? context : path;
}

const statusCodes: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
};

const friendly: Partial<Record<ErrorCode, string>> = {
  malformed_json: 'The request body is not valid JSON.',
  payload_too_large: 'The request body is too large.',
  unsupported_media_type: 'Unsupported Content-Type: send application/json.',
};

/**
 * Errors Fastify raises before routing (a URL that does not decode, say) skip the
 * error handler; this gives them the one format too.
 */
export function answerFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const badUrl = err.code === 'FST_ERR_BAD_URL';
  void send(reply, request, 'bad_request', badUrl ? 'The URL is not valid: a percent sign must start an encoded UTF-8 byte.' : err.message);
}

export function installErrorHandler(app: FastifyInstance): void {
  // An outage fails every request alike: a few lines for all of them, not one each.
  const outage = createRepeatedLog(app.log as Logger);
  app.addHook('onClose', async () => outage.flush());
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
      return send(reply, request, err.code, err.message, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const context = (err as { validationContext?: string }).validationContext ?? 'body';
      // A malformed id in the path names no resource that exists.
      if (context === 'params') return send(reply, request, 'not_found', 'Not found.');
      const fields: Record<string, string[]> = {};
      for (const issue of err.validation) {
        const name = fieldName(issue.instancePath ?? '', context);
        (fields[name] ??= []).push(issue.message ?? 'is invalid');
      }
      return send(reply, request, 'validation_failed', 'The given data was invalid.', { fields });
    }
    if (isResponseSerializationError(err as FastifyError)) {
      request.log.error({ err }, 'response did not match its schema');
      return send(reply, request, 'internal_error', 'Something went wrong on our side.');
    }
    const status = (err as FastifyError).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const fastifyCode = (err as FastifyError).code ?? '';
      const code: ErrorCode =
        status === 400 && (fastifyCode.includes('JSON') || err instanceof SyntaxError) ? 'malformed_json' : (statusCodes[status] ?? 'bad_request');
      return send(reply, request, code, friendly[code] ?? err.message);
    }
    if (isDatabaseUnavailable(err)) {
      // Retryable, and said so: Cloudonix (and any client) tries again, and nothing was half-written.
      outage.warn('database unavailable; requests answered 503', { err: { message: err.message } });
      app.services.metrics.calls.databaseError('request');
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return send(reply, request, 'service_unavailable', 'The database is not reachable right now; try again shortly.');
    }
    request.log.error({ err }, 'unhandled error');
    return send(reply, request, 'internal_error', 'Something went wrong on our side.');
  });
}
