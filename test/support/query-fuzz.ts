import fc from 'fast-check';
import { expect } from 'vitest';
import type { TestApp } from './test-app.js';

/** Values a careless or hostile client might put in a query parameter. */
const queryValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
  fc.constantFrom('', ' ', ',', ',,', '\u0000', '-1', '0', '1', '1e3', '0x10', 'NaN', 'Infinity', 'null', 'true', '2026-11-24', '2026-02-30', '2026-11-24T03:00:00Z',
    '2026-11-24T03:00:00', '+14155550123', '%', '%zz', "' OR 1=1 --", '<script>', '-started_at', 'duration', 'ANSWER', 'completed,busy', 'x'.repeat(300)),
);

/** A raw query string: mostly well-encoded pairs, sometimes raw junk, repeated keys and bracket keys. */
function queryStrings(keys: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.constantFrom('status[]', 'a[b]', 'page[0]', '', 'unknown') });
  const pair = fc.tuple(key, queryValue, fc.boolean()).map(([k, v, raw]) => {
    const value = v.replace(/[\uD800-\uDFFF]/g, '');
    return raw ? `${k}=${value.replace(/[#&\s]/g, '')}` : `${encodeURIComponent(k)}=${encodeURIComponent(value)}`;
  });
  return fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('&'));
}

/**
 * Fires `runs` random query strings at a GET endpoint: every answer is 200 or a 422
 * naming at least one field, never a 5xx.
 */
export async function fuzzQuery(t: TestApp, path: string, keys: readonly string[], token: string, runs = 300): Promise<void> {
  await fc.assert(
    fc.asyncProperty(queryStrings(keys), async (qs) => {
      const res = await t.request({ method: 'GET', url: `${path}?${qs}`, token });
      expect([200, 422], `${path}?${qs} → ${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
      if (res.statusCode === 422) {
        const body = res.json<{ error: { code: string; details?: { fields?: Record<string, string[]> } } }>();
        expect(body.error.code).toBe('validation_failed');
        expect(Object.keys(body.error.details?.fields ?? {}).length).toBeGreaterThan(0);
      }
    }),
    { numRuns: runs },
  );
}
