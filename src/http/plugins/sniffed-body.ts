import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { AppError } from '../../core/errors.js';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../../core/json-depth.js';
import { mendLoneSurrogates } from '../../core/well-formed-json.js';
import { answersAnyBody, ignoreBody } from './body-tolerance.js';
import { tooDeepMessage } from './json-body.js';
import { noteJsonBody } from './reject-nul-bytes.js';

type Done = (err: Error | null, body?: unknown) => void;

/** `type/subtype` made of token characters, then parameters or nothing (RFC 9110 §8.3.1), as Fastify checks it. */
const MEDIA_TYPE = /^[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*(;|$)/;

/**
 * Reads the body as text up to `limit` bytes; calls back with null when it is larger.
 * An oversized body is left unread: the answer closes the connection (see webhooks.ts).
 */
function readText(request: FastifyRequest, payload: Readable, limit: number, onText: (text: string | null) => void, onError: (err: Error) => void): void {
  if (Number(request.headers['content-length']) > limit) return onText(null);
  const chunks: Buffer[] = [];
  let size = 0;
  const stop = () => {
    payload.off('data', onData);
    payload.off('end', onEnd);
    payload.off('error', onFail);
  };
  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit) {
      stop();
      payload.resume();
      return onText(null);
    }
    chunks.push(bytes);
  };
  const onEnd = () => {
    stop();
    onText((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8'));
  };
  const onFail = (err: Error) => {
    stop();
    onError(Object.assign(err, { statusCode: 400 }));
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onFail);
}

/**
 * Cloudonix's own SDK parses a webhook body whatever type it declares, and some
 * senders declare none or the wrong one (shared/cloudonix.md §9.7): a body that
 * looks like JSON is JSON, anything else is form-encoded. Registered in the
 * webhooks' context only; the admin API keeps its strict JSON. A declared type that
 * is not a media type at all counts as none. A body that is too
 * large (413), nested too deep or looks like JSON but is not (400) is refused, except
 * on routes that answer any body (`answersAnyBody`), which drop it and go on.
 */
export function acceptSniffedBodies(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'ignore');
  const limit = app.config.bodyLimitBytes;
  app.decorateRequest('ignoredBody', null);
  app.addHook('onRequest', (request, _reply, done) => {
    // A type that is not even type/subtype would be a 415; the body is sniffed anyway, so it counts as none.
    const type = request.headers['content-type'];
    if (type !== undefined && !MEDIA_TYPE.test(type)) delete request.headers['content-type'];
    done();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request: FastifyRequest, payload: Readable, done: Done) => {
    // Whether the route answers any body is asked only of a body it cannot take (routeOptions builds an object).
    const lenient = () => answersAnyBody(request);
    readText(
      request,
      payload,
      limit,
      (text) => {
        if (text === null) {
          return lenient() ? done(null, ignoreBody(request, 'too_large')) : done(new AppError('payload_too_large', 'The request body is too large.'));
        }
        const trimmed = text.trimStart();
        if (trimmed === '') return done(null, undefined);
        if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
          if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) return lenient() ? done(null, ignoreBody(request, 'too_deep')) : done(new AppError('bad_request', tooDeepMessage));
          return json(request, text, (err, value) => {
            // Lone surrogates become U+FFFD: a CDR is stored as jsonb on PostgreSQL.
            if (!err) return done(null, noteJsonBody(request, text, mendLoneSurrogates(text, value)));
            if (lenient()) return done(null, ignoreBody(request, 'malformed_json'));
            return done(new AppError('malformed_json', 'The body looks like JSON but does not parse as JSON.'));
          });
        }
        // Last value of a repeated key wins, as in a query string; own keys only (no prototype).
        const out = Object.create(null) as Record<string, string>;
        for (const [k, v] of new URLSearchParams(text)) out[k] = v;
        return done(null, out);
      },
      (err) => done(err),
    );
  });
}
