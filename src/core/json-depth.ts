/**
 * How deep a JSON body may nest objects and arrays. Cloudonix payloads nest four or
 * five levels and the admin API's deepest (settings, dial options, metadata) about
 * six; anything far deeper is junk that would only cost stack in whatever walks it,
 * and MariaDB refuses JSON deeper than 100.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether JSON text nests objects and arrays deeper than `maxDepth`, found in one
 * pass over the text before anything parses or walks it. Brackets inside strings do
 * not count; text that is not JSON is scanned the same way (the parser refuses it after).
 */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
