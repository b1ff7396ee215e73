import type { FastifyInstance } from 'fastify';
import { invalidFields } from '../../core/errors.js';

/** The path of the first string holding a NUL character, or undefined. */
export function findNulByte(value: unknown, path: string): string | undefined {
  // Every request body passes here: the path is spelled out only once something is found.
  const inner = nulPath(value);
  return inner === undefined ? undefined : path + inner;
}

function nulPath(value: unknown): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? '' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i]);
      if (found !== undefined) return `.${i}${found}`;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const k in o) {
      if (!Object.hasOwn(o, k)) continue;
      if (k.includes('\u0000')) return `.${k.replace(/\u0000/g, '\\0')}`;
      const found = nulPath(o[k]);
      if (found !== undefined) return `.${k}${found}`;
    }
  }
  return undefined;
}

/**
 * PostgreSQL cannot store NUL characters in text, so a body carrying one would
 * fail deep in the database; refuse it up front with a 422 naming the field.
 */
export function rejectNulBytes(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [source, value] of [['body', request.body], ['query', request.query]] as const) {
      const path = findNulByte(value, source);
      if (path) {
        const field = path.replace(/^(body|query)\.?/, '') || source;
        throw invalidFields({ [field]: ['must not contain NUL characters'] });
      }
    }
  });
}
