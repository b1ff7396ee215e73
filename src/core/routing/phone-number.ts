/**
 * Phone numbers are kept as received and compared as normalised digits: `+1 (212) 555-0187`,
 * `12125550187`, `sip:+12125550187@acme.cloudonix.net` and `0012125550187` are one number.
 */
export function normalizeDigits(raw: string | null | undefined): string {
  if (!raw) return '';
  let value = raw.trim();
  // A SIP URI's user part is the number.
  const sip = /^sips?:([^@;]+)/i.exec(value);
  if (sip) value = sip[1]!;
  let digits = value.replace(/\D/g, '');
  // 00 is the international prefix in most of the world; + is its written form.
  if (!value.startsWith('+') && digits.startsWith('00')) digits = digits.slice(2);
  return digits;
}

/**
 * A phone number in E.164 for storing: `+` and its digits, separators dropped.
 * Cloudonix writes numbers with and without the `+` (`14155550123` in session
 * updates, `+14155550123` in voice requests); digits-only values of 11 to 15
 * digits and `00`-prefixed ones are international, so they get it. Shorter
 * digit strings (extensions, national numbers), SIP URIs and names are kept
 * as received: adding a country we cannot know would make a wrong number.
 */
export function toE164(raw: string | null): string | null {
  if (raw === null) return null;
  const value = raw.trim();
  if (!/^\+?[\d\s().-]+$/.test(value)) return raw;
  const digits = value.replace(/\D/g, '');
  if (value.startsWith('+')) return digits.length >= 7 && digits.length <= 15 ? `+${digits}` : raw;
  if (digits.startsWith('00') && digits.length - 2 >= 7 && digits.length - 2 <= 15) return `+${digits.slice(2)}`;
  return digits.length >= 11 && digits.length <= 15 ? `+${digits}` : raw;
}
