import { MAX_NUMBER_DIGITS } from './pattern-problem.js';
import { normalizeDigits } from './phone-number.js';

/** Digits with an optional leading `+` and the separators people type; or a SIP address whose user part is that. */
const NUMBER_TEXT = /^(?:sips?:)?\+?[0-9\s().-]+(?:@[^\s@]+)?$/i;

/**
 * Why `raw` is not a number the routing engine can match, or undefined when it is. Cloudonix
 * sends numbers with or without `+` (and `sip:+1…@domain` URIs); rules compare their digits,
 * so a name such as `anonymous` or a 20-digit string would silently match nothing.
 */
export function numberProblem(raw: string): string | undefined {
  const text = raw.trim();
  if (!NUMBER_TEXT.test(text)) {
    return 'must be a phone number such as +12125550187: digits with an optional leading +, spaces or dashes (sip:+12125550187@host also works)';
  }
  const digits = normalizeDigits(text).length;
  if (digits === 0) return 'must hold at least one digit';
  if (digits > MAX_NUMBER_DIGITS) return `has ${digits} digits, but a phone number has at most ${MAX_NUMBER_DIGITS} (E.164)`;
  return undefined;
}
