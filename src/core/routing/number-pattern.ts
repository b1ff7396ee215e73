/**
 * Inbound and outbound rule patterns, compared on normalised digits:
 * - exact: `+12125550187`
 * - prefix: `+1212*` (a trailing star; `*` alone matches every number)
 * - single-digit wildcards: `+1212555????` (or `X`/`x` in place of `?`)
 */
export interface CompiledPattern {
  readonly kind: 'exact' | 'wildcard' | 'prefix';
  readonly source: string;
  /** Digits with '?' where any digit fits; for prefix patterns, the part before '*'. */
  readonly digits: string;
  /** Higher is more specific: exact beats wildcard beats prefix; more fixed digits beat fewer. */
  readonly specificity: number;
}

export type PatternResult = { ok: true; pattern: CompiledPattern } | { ok: false; error: string };

const SHAPE = /^\+?[0-9?xX]*\*?$/;

export function compilePattern(source: string): PatternResult {
  const trimmed = source.trim().replace(/[\s\-().]/g, '');
  if (trimmed.length === 0) return { ok: false, error: 'must not be empty' };
  if (trimmed.length > 40) return { ok: false, error: 'must be at most 40 characters' };
  if (!SHAPE.test(trimmed)) {
    return { ok: false, error: "may hold digits, '?' or 'X' for one digit, and one '*' at the end (e.g. +1212*, +1212555????)" };
  }
  const isPrefix = trimmed.endsWith('*');
  const body = (isPrefix ? trimmed.slice(0, -1) : trimmed).replace(/^\+/, '').replace(/[xX]/g, '?');
  if (!isPrefix && body.length === 0) return { ok: false, error: 'must hold at least one digit' };
  if (body.startsWith('00')) return { ok: false, error: "write the international prefix as '+', not 00" };
  const fixed = body.replace(/\?/g, '').length;
  const kind = isPrefix ? 'prefix' : body.includes('?') ? 'wildcard' : 'exact';
  const rank = kind === 'exact' ? 2 : kind === 'wildcard' ? 1 : 0;
  return { ok: true, pattern: { kind, source, digits: body, specificity: rank * 1000 + fixed } };
}

/** True when the normalised digits of a number fit the pattern. */
export function matchesPattern(pattern: CompiledPattern, digits: string): boolean {
  if (digits.length === 0) return false;
  const p = pattern.digits;
  if (pattern.kind === 'prefix') {
    if (digits.length < p.length) return false;
  } else if (digits.length !== p.length) return false;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== digits.charCodeAt(i)) return false;
  }
  return true;
}
