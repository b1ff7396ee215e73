/**
 * How an outbound rule's trunks are written in the `trunks` attribute of CXML's `<Dial>`.
 * Cloudonix accepts a trunk name (its docs: `trunks="outbound-trunk"`) and a JSON array of
 * numeric trunk ids (the official Java SDK: `trunks="[12,34]"`); a comma list of names is the
 * natural extension of the first. So: all numbers → the JSON array form, otherwise the names
 * joined by commas.
 */
export function trunksAttribute(trunks: readonly (string | number)[]): string {
  if (trunks.length > 0 && trunks.every((t) => typeof t === 'number')) return `[${trunks.join(',')}]`;
  return trunks.map(String).join(',');
}
