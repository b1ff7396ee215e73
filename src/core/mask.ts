/** Keys whose values are secrets wherever they appear in a logged or audited object. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|api[-_]?key|credential/i;

/** Replaces secret-looking values in a plain object tree (for audit before/after states). */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  // No prototype: a `__proto__` key stays a plain key, as Object.fromEntries would keep it.
  const out = Object.create(null) as Record<string, unknown>;
  for (const k in source) {
    if (!Object.hasOwn(source, k)) continue;
    const v = source[k];
    out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? '********' : maskSecrets(v);
  }
  return out;
}

/** Masks `token=` and similar query parameters in a URL or path for logging. */
export function maskUrlSecrets(url: string): string {
  return url.replace(/([?&](?:token|api_key|apikey|key|secret|password)=)[^&#]*/gi, '$1********');
}
