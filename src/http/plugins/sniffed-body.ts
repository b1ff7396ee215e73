import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';

/**
 * Cloudonix's own SDK parses a webhook body whatever type it declares, and some
 * senders declare none or the wrong one (shared/cloudonix.md §9.7): a body that
 * looks like JSON is JSON, anything else is form-encoded. Registered in the
 * webhooks' context only; the admin API keeps its strict JSON.
 */
export function acceptSniffedBodies(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'ignore');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request: FastifyRequest, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const trimmed = text.trimStart();
    if (trimmed === '') return done(null, undefined);
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      return json(request, text, (err, value) => done(err ? new AppError('bad_request', 'The body looks like JSON but does not parse as JSON.') : null, value));
    }
    // Last value of a repeated key wins, as in a query string; own keys only (no prototype).
    const out = Object.create(null) as Record<string, string>;
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
    return done(null, out);
  });
}
