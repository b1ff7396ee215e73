import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors.js';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../../core/json-depth.js';
import { mendLoneSurrogates } from '../../core/well-formed-json.js';
import { noteJsonBody } from './reject-nul-bytes.js';

export const tooDeepMessage = `The JSON body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels.`;

/**
 * The admin API's JSON parser: Fastify's own (prototype poisoning refused), after a
 * scan that refuses deep nesting with a 400, since every later walk of the body
 * (NUL check, validation, masking) would otherwise spend stack on it. Lone surrogates
 * (`"\ud800"`) become U+FFFD: PostgreSQL's jsonb refuses them.
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) return done(new AppError('bad_request', tooDeepMessage), undefined);
    return parse(request, text, (err, value) => (err ? done(err, undefined) : done(null, noteJsonBody(request, text, mendLoneSurrogates(text, value)))));
  });
}
