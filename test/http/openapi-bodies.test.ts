import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/backends.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Schema = Record<string, unknown>;

/**
 * Places in request bodies that are open on purpose, typed as far as they can be
 * (`METHOD path place` → why). Anything else open is a gap a client cannot code against.
 */
const OPEN_ON_PURPOSE: Record<string, string> = {
  'POST /api/voice-agents /metadata/anyOf/0': "free-form notes of the tenant's own: any JSON object up to 8 KiB",
  'PUT /api/voice-agents/{id} /metadata/anyOf/0': "free-form notes of the tenant's own: any JSON object up to 8 KiB",
};


const COMBINATORS = ['anyOf', 'oneOf', 'allOf'] as const;

/** Where a schema says nothing about a value: `{}`, or an object with no properties and any keys allowed. */
function untypedPlaces(schema: unknown, resolve: (ref: string) => unknown, at = '', seen = new Set<string>()): string[] {
  if (typeof schema !== 'object' || schema === null) return schema === true ? [at || '/'] : [];
  const s = schema as Schema;
  if (typeof s.$ref === 'string') {
    if (seen.has(s.$ref)) return [];
    return untypedPlaces(resolve(s.$ref), resolve, at, new Set(seen).add(s.$ref));
  }
  const combined = COMBINATORS.flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]).flatMap((sub, i) => untypedPlaces(sub, resolve, `${at}/${k}/${i}`, seen)) : []));
  if (COMBINATORS.some((k) => Array.isArray(s[k]))) return combined;
  const says = ['type', 'enum', 'const', 'not'].some((k) => k in s);
  if (!says) return [at || '/'];
  const out: string[] = [];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('object')) {
    const props = (s.properties ?? {}) as Record<string, unknown>;
    const extra = s.additionalProperties;
    const extraTyped = typeof extra === 'object' && extra !== null && Object.keys(extra).length > 0;
    if (Object.keys(props).length === 0 && !extraTyped) out.push(at || '/');
    for (const [name, sub] of Object.entries(props)) out.push(...untypedPlaces(sub, resolve, `${at}/${name}`, seen));
    if (extraTyped) out.push(...untypedPlaces(extra, resolve, `${at}/*`, seen));
  }
  if (types.includes('array') && 'items' in s) out.push(...untypedPlaces(s.items, resolve, `${at}/items`, seen));
  return out;
}

// The document does not depend on the database, so one backend is enough.
describe('/openapi.json types every request body', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>> } & Schema;
  beforeAll(async () => {
    t = await createTestApp(DIALECTS[0]!);
    doc = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
  });
  afterAll(async () => t?.close());

  const resolve = (ref: string): unknown => ref.replace(/^#\//, '').split('/').reduce<unknown>((node, key) => (node as Schema | undefined)?.[key], doc);

  /** Every open place of every request body, as `METHOD path place`. */
  function openPlaces(): { places: Set<string>; bodies: number } {
    const places = new Set<string>();
    let bodies = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        for (const media of Object.values(op.requestBody?.content ?? {})) {
          bodies += 1;
          for (const place of untypedPlaces(media.schema, resolve)) places.add(`${method.toUpperCase()} ${path} ${place}`);
        }
      }
    }
    return { places, bodies };
  }

  it('has no request body, or part of one, that is an empty or property-less schema', () => {
    const { places, bodies } = openPlaces();
    expect(bodies).toBeGreaterThan(20);
    expect([...places].filter((p) => !OPEN_ON_PURPOSE[p])).toEqual([]);
  });

  it('flags what it should', () => {
    const none = () => undefined;
    expect(untypedPlaces({}, none)).toEqual(['/']);
    expect(untypedPlaces({ type: 'object', additionalProperties: {} }, none)).toEqual(['/']);
    expect(untypedPlaces({ type: 'object', properties: { a: {} } }, none)).toEqual(['/a']);
    expect(untypedPlaces({ type: 'object', properties: { a: { type: 'array', items: {} } } }, none)).toEqual(['/a/items']);
    expect(untypedPlaces({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, none)).toEqual([]);
    expect(untypedPlaces({ type: 'object', additionalProperties: { type: 'string' } }, none)).toEqual([]);
    expect(untypedPlaces({ anyOf: [{ type: 'string' }, { type: 'null' }] }, none)).toEqual([]);
  });
});
