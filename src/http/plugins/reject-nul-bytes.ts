import type { FastifyInstance } from 'fastify';
import { invalidFields } from '../../core/errors.js';

/** The path of the first string holding a NUL character, or undefined. */
export function findNulByte(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNulByte(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return `${path}.${k.replace(/\u0000/g, '\\0')}`;
      const found = findNulByte(v, `${path}.${k}`);
      if (found) return found;
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
