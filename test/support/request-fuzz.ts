import fc from 'fast-check';

/**
 * Whole requests a careless or hostile client might send to any route: every
 * content type, bodies nested thousands deep, larger than the limit, binary, holding
 * NUL characters or lone surrogates, of the wrong type or shape; junk path values
 * and query strings. Used by test/http/public-fuzz.test.ts.
 */

/** Field names the routes read, so shaped bodies reach validation and beyond. */
const FIELD_NAMES = [
  'name', 'email', 'password', 'password_confirmation', 'tenant_name', 'domain', 'role', 'active', 'settings', 'provider', 'service_value',
  'username', 'enabled', 'max_concurrent_calls', 'metadata', 'dial_options', 'strategy', 'agent_id', 'priority', 'capacity', 'pattern',
  'target_type', 'target_id', 'ids', 'caller_id', 'destination_pattern', 'trunk_config', 'from', 'to', 'direction', 'number', 'format',
  'fields', 'filters', 'From', 'To', 'Session', 'CallSid', 'Direction', 'DialCallStatus', 'token', 'status', 'session', 'disposition',
  'callEndTime', 'SessionData', 'Domain', 'call_id', 'eventId', '__proto__', 'constructor',
] as const;

export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ minLength: 250, maxLength: 3000 }),
  fc.emailAddress(),
  fc.constantFrom('', ' ', 'a\u0000b', '\u0000', 'admin', 'analyst', 'round_robin', 'group', 'agent', 'vapi', '+14155550123', '+1212*', 'UTC', 'csv', 'json', 'reject', '<script>', "' OR 1=1 --", '../../etc/passwd'),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, 1e308, Number.MIN_VALUE),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
);

const deep = (depth: number, open: string, close: string, leaf = '1') => open.repeat(depth) + leaf + close.repeat(depth);

/** Bodies of a few sizes are built once: the generator picks among them. */
const HUGE = JSON.stringify({ name: 'x'.repeat(1_100_000) });
const BIG = JSON.stringify({ name: 'big', metadata: { pad: 'y'.repeat(300_000) }, From: '+14155550123', To: '+12125550187' });

export const bodies: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 10, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), anyValue, { maxKeys: 8 }).map((d) => JSON.stringify(d)) },
  { weight: 4, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.integer({ min: 20, max: 12_000 }).chain((n) => fc.constantFrom(deep(n, '[', ']'), deep(n, '{"a":', '}'), `{"settings":${deep(n, '{"x":', '}')}}`, deep(n, '[{"k":[', ']}]'))) },
  { weight: 1, arbitrary: fc.constantFrom(HUGE, BIG) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 2000 }) },
  { weight: 2, arbitrary: fc.constantFrom('{"name":"a\\u0000b"}', '{"a\\u0000":1}', 'a=1\u0000&b=2', '{"From":"\u0000"}', '\u0000\u0000\u0000', '[\u0000]') },
  { weight: 2, arbitrary: fc.constantFrom('{"name":"\\ud800"}', '{"\\udfff":"x","From":"+1415\\ud83d"}', '{"metadata":{"k":"\\udc00\\ud800"}}', '{"settings":{"fallback":{"type":"message","message":"\\ud800"}}}') },
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 80 }), { maxKeys: 6 }).map((d) => new URLSearchParams(d).toString()) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '{', '[1,2', '{"a":1}}', 'null', 'true', '42', '"text"', '[]', '{}', '1e400', '-0', '123456789012345678901234567890', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\ufeff{"a":1}') },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** Content types of every kind, declared right, wrong, twisted or not at all. */
export const contentTypes = fc.constantFrom(
  undefined, 'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/x-www-form-urlencoded',
  'text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'text/html', 'application/vnd.api+json',
  '*/*', 'garbage', 'application/json;;;', 'APPLICATION/JSON', 'application/cloudevents+json',
);

/** Values for a path parameter (already encoded for the URL). */
export const pathValues = fc.oneof(
  { weight: 6, arbitrary: fc.constant('<real>') },
  { weight: 4, arbitrary: fc.constantFrom('0', '-1', '1', '2', '3', '99999999', '99999999999999999999', '1.5', '1e3', 'abc', '%00', '1%00', '%E2%98', '%C0', '%25', 'x'.repeat(300), '%F0%9F%98%80', '..%2F..', 'null') },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, ''))) },
);

const queryValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer().map(String),
  fc.constantFrom('', '%00', '%zz', '-1', '0', '1e9', 'true', 'NaN', '2026-02-30', '2026-11-24T03:00:00Z', '+14155550123', 'completed,busy', 'x'.repeat(300), '%ED%A0%80'),
);

/** A raw query string over the given keys plus junk keys: encoded pairs, raw pairs, repeats, brackets. */
export function queryStrings(keys: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: fc.constantFrom('a[b]', 'x[]', '', '%00', 'unknown', '__proto__') });
  const pair = fc.tuple(key, queryValue, fc.boolean()).map(([k, v, raw]) => {
    const value = v.replace(/[\uD800-\uDFFF]/g, '');
    return raw ? `${k}=${value.replace(/[#&\s]/g, '')}` : `${encodeURIComponent(k)}=${encodeURIComponent(value)}`;
  });
  return fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('&'));
}

export const LIST_QUERY_KEYS = [
  'page', 'per_page', 'search', 'enabled', 'provider', 'status', 'direction', 'from', 'to', 'agent_id', 'group_id', 'session_token', 'start_date',
  'end_date', 'min_duration', 'max_duration', 'sort', 'disposition', 'event_type', 'outcome', 'include_rejected', 'entity_type', 'action', 'user_id',
] as const;

export const CLOUDONIX_QUERY_KEYS = ['From', 'To', 'Session', 'CallSid', 'Direction', 'DialCallStatus', 'CallStatus', 'attempt', 'Domain', 'AccountSid'] as const;
