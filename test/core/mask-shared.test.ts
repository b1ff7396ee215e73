import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskSecrets, maskSecretsShared } from '../../src/core/mask.js';
import { stringifyWellFormed } from '../../src/core/well-formed-json.js';

/** The audit payload as it was built before issue 23 and as it is now: the stored text must not change. */
const before = (query: unknown, body: unknown) => stringifyWellFormed({ query: maskSecrets(query), body: maskSecrets(body) });
const now = (query: unknown, body: unknown) => stringifyWellFormed({ query: maskSecretsShared(query), body: maskSecretsShared(body) });

/** Keys a request may carry: ordinary ones, every secret-looking spelling, and prototype names. */
const key = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('token', 'Token', 'password', 'pass', 'x_secret', 'Authorization', 'api_key', 'api-key', 'apikey', 'credentials', 'has_password', '__proto__', 'constructor', 'toString', 'From', 'Session'),
);
const leaf = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.string({ unit: 'binary' }));
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 6 })),
})).node;

describe('one-walk masking for the webhook audit', () => {
  it('gives byte for byte the payload text the deep copy gave, for any parsed body and query', () => {
    fc.assert(
      fc.property(fc.dictionary(key, fc.string()), tree, (query, body) => {
        // Through JSON, as Fastify hands bodies over (own `__proto__` keys stay data keys).
        const parsed = JSON.parse(JSON.stringify(body) ?? 'null') as unknown;
        expect(now(query, parsed)).toBe(before(query, parsed));
      }),
      { numRuns: 2000 },
    );
  });

  it('hides every secret at any depth, inside arrays, under __proto__, and when the secret is an object', () => {
    const body = JSON.parse(
      '{"Session":"s","SessionData":{"token":"sess-tok","profile":{"api-key":"k1"}},"list":[{"password":"p1"},{"x":[{"Authorization":"Bearer b1"}]}],"__proto__":{"secret":"proto-secret"},"credentials":{"user":"u","pass":"p2"},"has_password":true,"token":null}',
    ) as unknown;
    const text = now({ token: 'whsec-query' }, body);
    for (const secret of ['sess-tok', 'k1', 'p1', 'Bearer b1', 'proto-secret', '"u"', 'p2', 'whsec-query']) expect(text).not.toContain(secret);
    expect(text).toBe(before({ token: 'whsec-query' }, body));
    expect(JSON.parse(text)).toMatchObject({ query: { token: '********' }, body: { Session: 's', credentials: '********', has_password: true, token: null } });
  });

  it('does not copy what it does not mask, and leaves its input as it was', () => {
    const clean = { From: '+1', nested: { To: '+2', list: [1, { a: 'b' }] } };
    expect(maskSecretsShared(clean)).toBe(clean);
    const withSecret = { From: '+1', nested: { token: 't', other: { a: 1 } } };
    const masked = maskSecretsShared(withSecret) as typeof withSecret;
    expect(masked).not.toBe(withSecret);
    expect(masked.nested.other).toBe(withSecret.nested.other);
    expect(withSecret.nested.token).toBe('t');
  });

  it('masks a long key the same as a short one (the judged keys are bounded, not the masking)', () => {
    const long = `${'x'.repeat(100)}_token`;
    expect(maskSecretsShared({ [long]: 'v' })).toEqual({ [long]: '********' });
    for (let i = 0; i < 11_000; i++) maskSecretsShared({ [`k${i}`]: 1 });
    expect(maskSecretsShared({ my_secret_later: 'v' })).toEqual({ my_secret_later: '********' });
  });
});
