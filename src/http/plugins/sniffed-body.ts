import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';

/**
 * Cloudonix's own SDK parses a webhook body whatever type it declares, and some
 * senders declare none or the wrong one (shared/cloudonix.md §9.7): a body that
 * looks like JSON is JSON, anything else is form-encoded. Registered in the
 * webhooks' context only; the admin API keeps its strict JSON. A body that looks like
 * JSON but is not is a 400, except where `answersAnyway` says the route must answer.
 */
export function acceptSniffedBodies(app: FastifyInstance, answersAnyway: (request: FastifyRequest) => boolean): void {
  const json = app.getDefaultJsonParser('error', 'ignore');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request: FastifyRequest, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    const trimmed = text.trimStart();
    if (trimmed === '') return done(null, undefined);
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      return json(request, text, (err, value) => {
        if (!err) return done(null, value);
        // A voice request must still get CXML: it is routed on what the path and query say.
        if (answersAnyway(request)) {
          request.log.warn('webhook body looks like JSON but does not parse; routing on the path and query alone');
          return done(null, {});
        }
        return done(new AppError('malformed_json', 'The body looks like JSON but does not parse as JSON.'));
      });
    }
    // Last value of a repeated key wins, as in a query string; own keys only (no prototype).
    const out = Object.create(null) as Record<string, string>;
    for (const [k, v] of new URLSearchParams(text)) out[k] = v;
    return done(null, out);
  });
}
