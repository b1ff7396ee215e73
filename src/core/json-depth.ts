/**
 * How deep a JSON body may nest objects and arrays. Cloudonix payloads nest four or
 * five levels and the admin API's deepest (settings, dial options, metadata) about
 * six; anything far deeper is junk that would only cost stack in whatever walks it,
 * and MariaDB refuses JSON deeper than 100.
 */
export const MAX_JSON_DEPTH = 32;

/** Whether `text` holds at most `max` opening brackets in all, inside strings or not (indexOf is native and fast). */
function bracketsAtMost(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) if (++n > max) return false;
  for (let i = text.indexOf('['); i !== -1; i = text.indexOf('[', i + 1)) if (++n > max) return false;
  return true;
}

/**
 * Whether JSON text nests objects and arrays deeper than `maxDepth`, found before
 * anything parses or walks it. Brackets inside strings do not count; text that is
 * not JSON is scanned the same way (the parser refuses it after). Every request body
 * passes here: text with no more brackets than `maxDepth` in all cannot nest deeper,
 * and is judged by counting them alone; only other text is walked, skipping strings whole.
 */
export function jsonNestsDeeperThan(text: string, maxDepth: number): boolean {
  if (bracketsAtMost(text, maxDepth)) return false;
  let depth = 0;
  // The next backslash and, inside a string, the next quote are looked up with indexOf and
  // kept until the scan passes them: strings are skipped whole, each character read at most twice.
  let backslash = text.indexOf('\\');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let from = i + 1;
      let quote = text.indexOf('"', from);
      for (;;) {
        if (quote === -1) return false; // a string never closed: no bracket after it counts
        if (backslash !== -1 && backslash < from) backslash = text.indexOf('\\', from);
        if (backslash === -1 || backslash > quote) break;
        from = backslash + 2; // a backslash escapes the next character, a quote included
        if (from > quote) quote = text.indexOf('"', from);
      }
      i = quote;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}
