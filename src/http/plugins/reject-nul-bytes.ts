import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, invalidFields } from '../../core/errors.js';
import { answersAnyBody, ignoreBody } from './body-tolerance.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as parsed from JSON text that held no `\u0000` escape: it holds no NUL, so it is not walked. */
    nulFreeBody: unknown;
  }
}

/**
 * Notes that JSON text's parsed `body` holds no NUL character when the text has no
 * `\u0000` escape (a raw NUL is not JSON, so that escape is the only way in); returns the body.
 */
export function noteJsonBody(request: FastifyRequest, text: string, body: unknown): unknown {
  if (!text.includes('\\u0000')) request.nulFreeBody = body;
  return body;
}

const escapeNul = (key: string) => key.replace(/\u0000/g, '\\0');

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | null;
}

function spell(path: string, at: Visit | null): string {
  const keys: string[] = [];
  for (let v = at; v?.parent; v = v.parent) keys.push(v.key);
  return path + keys.reverse().map((k) => `.${k}`).join('');
}

/**
 * The path of the first string holding a NUL character, or undefined. Walks the value
 * with a stack of its own, so however deep it nests nothing recurses.
 */
export function findNulByte(value: unknown, path: string): string | undefined {
  // Every request body passes here: the path is spelled out only once something is found.
  const stack: Visit[] = [{ value, key: '', parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return spell(path, visit);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const o = v as Record<string, unknown>;
    const keys = Array.isArray(v) ? v.map((_, i) => String(i)) : Object.keys(o);
    // Pushed in reverse so the first key is looked at first, as a reader would expect.
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      if (k.includes('\u0000')) return spell(path, { value: null, key: escapeNul(k), parent: visit });
      stack.push({ value: o[k], key: k, parent: visit });
    }
  }
  return undefined;
}

/** Whether a query object has any key: most requests have none, and then nothing is walked. */
function hasKeys(query: unknown): boolean {
  if (query === null || typeof query !== 'object') return query !== undefined;
  for (const _ in query) return true;
  return false;
}

/** A path (before `?`) that holds a NUL character, raw or percent-encoded. */
function pathHasNul(url: string): boolean {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path.includes('\u0000') || /%00/.test(path);
}

/**
 * PostgreSQL cannot store NUL characters in text, so a request carrying one would
 * fail deep in the database; refuse it up front. In the path: 400 before anything
 * looks it up. In the body or query: 422 naming the field, except on routes that
 * answer any body (the voice webhooks), which drop the body and the query values
 * holding one, and answer from the rest.
 */
export function rejectNulBytes(app: FastifyInstance): void {
  app.decorateRequest('nulFreeBody', null);
  // Callback hooks, not async ones: no promise per request for checks that nearly always pass.
  app.addHook('onRequest', (request, _reply, done) => {
    done(pathHasNul(request.url) ? new AppError('bad_request', 'The path must not contain NUL characters.') : undefined);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const body = request.nulFreeBody !== null && request.nulFreeBody === request.body ? undefined : findNulByte(request.body, 'body');
    const query = hasKeys(request.query) ? findNulByte(request.query, 'query') : undefined;
    if (body === undefined && query === undefined) return done();
    if (answersAnyBody(request)) {
      if (body) request.body = ignoreBody(request, 'nul_characters');
      const values = request.query as Record<string, unknown>;
      if (query) for (const k of Object.keys(values)) if (findNulByte(values[k], 'value') || k.includes('\u0000')) delete values[k];
      return done();
    }
    const path = body ?? query!;
    const field = path.replace(/^(body|query)\.?/, '') || (body ? 'body' : 'query');
    done(invalidFields({ [field]: ['must not contain NUL characters'] }));
  });
}
