/** Keys whose values are secrets wherever they appear in a logged or audited object. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|api[-_]?key|credential/i;

/** Replaces secret-looking values in a plain object tree (for audit before/after states). */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [
      k,
      SECRET_KEY.test(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? '********' : maskSecrets(v),
    ]),
  );
}

/** Masks `token=` and similar query parameters in a URL or path for logging. */
export function maskUrlSecrets(url: string): string {
  return url.replace(/([?&](?:token|api_key|apikey|key|secret|password)=)[^&#]*/gi, '$1********');
}
