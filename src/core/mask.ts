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

const MASK = '********';
/** Keys already judged: request bodies repeat the same few dozen, and a lookup is cheaper than the pattern. */
const judged = new Map<string, boolean>();
function isSecretKey(key: string): boolean {
  let secret = judged.get(key);
  if (secret === undefined) {
    secret = SECRET_KEY.test(key);
    // Bounded, in count and length: anyone can send keys, and a key not kept is just judged again.
    if (judged.size < 10_000 && key.length <= 64) judged.set(key, secret);
  }
  return secret;
}
const masks = (key: string, v: unknown) => v !== null && v !== undefined && typeof v !== 'boolean' && isSecretKey(key);

/**
 * What `maskSecrets` gives, copying only the objects on the way to a masked value: a
 * tree with no secret in it comes back as itself, so a parsed request body is walked
 * once and mostly not copied (the webhook audit's hot path). Objects other than plain
 * ones and arrays go through `maskSecrets`, so the result serialises the same.
 */
export function maskSecretsShared(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const m = maskSecretsShared(v);
      if (m !== v) (out ??= value.slice())[i] = m;
    }
    return out ?? value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return maskSecrets(value);
  const source = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const k in source) {
    if (!Object.hasOwn(source, k)) continue;
    const v = source[k];
    const m = masks(k, v) ? MASK : maskSecretsShared(v);
    if (m === v) continue;
    // A spread keeps the keys' order and an own `__proto__` key as data; defining it, not assigning, keeps it plain.
    out ??= { ...source };
    if (k === '__proto__') Object.defineProperty(out, k, { value: m, enumerable: true, writable: true, configurable: true });
    else out[k] = m;
  }
  return out ?? value;
}
