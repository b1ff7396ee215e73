/** A surrogate half without its other half: valid in a JS string, refused by PostgreSQL's jsonb. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);

const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD');

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return wellFormed(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (!keys.some((k) => HAS_LONE_SURROGATE.test(k))) return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of keys) out[wellFormed(k)] = o[k];
  return out;
}

/**
 * JSON text any of the three databases stores: JSON.stringify, with every lone
 * surrogate (which a JSON body may carry as `"\ud800"`) replaced by U+FFFD, so one
 * junk request cannot make a batch of audit rows fail on PostgreSQL.
 */
export function stringifyWellFormed(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  // JSON.stringify writes a lone surrogate as a \udxxx escape: without one, nothing to mend.
  return text.includes('\\ud') ? JSON.stringify(value, replacer) : text;
}

/** JSON text that may decode to a lone surrogate: only a `\ud800`–`\udfff` escape can (UTF-8 decoding mends raw ones). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/**
 * A parsed JSON body with every lone surrogate in its strings and keys replaced by
 * U+FFFD, so whatever stores it (jsonb above all) can; the value itself when its
 * text had no surrogate escape, which is nearly always.
 */
export function mendLoneSurrogates(text: string, value: unknown): unknown {
  return SURROGATE_ESCAPE.test(text) ? (JSON.parse(stringifyWellFormed(value)) as unknown) : value;
}
