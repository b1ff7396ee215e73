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
