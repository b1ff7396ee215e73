import { compilePattern } from './number-pattern.js';

/** E.164: a full international number has at most 15 digits after the `+`. */
export const MAX_NUMBER_DIGITS = 15;

const REGEX_SYNTAX = /[\^$[\]{}|\\]|\.[*+?]/;
const SQL_WILDCARD = /[%_]/;
const LETTER = /[a-wyz]/i;

/**
 * Why a rule pattern could never match a whole number, or undefined when it can.
 * Stricter than the engine's `compilePattern` (which still reads every stored rule):
 * a new or changed pattern must also fit E.164's 15 digits, and common mistakes
 * (regular expressions, SQL wildcards, letters, a `*` mid-pattern) get their own reason.
 */
export function patternProblem(source: string): string | undefined {
  const text = source.trim();
  if (REGEX_SYNTAX.test(text)) {
    return 'looks like a regular expression, which patterns are not: write ? or X for one digit and end with * for any rest (e.g. +1212555???? or +1212*)';
  }
  if (SQL_WILDCARD.test(text)) return "uses % or _, which patterns do not: write ? or X for one digit and end with * for any rest (e.g. +1212*)";
  const letter = LETTER.exec(text);
  if (letter) {
    return `holds the letter “${letter[0]}”, but calls are matched on their digits, so it could never match: use digits, ? or X for one digit, and * at the end`;
  }
  const bare = text.replace(/[\s\-().]/g, '');
  const star = bare.indexOf('*');
  if (star !== -1 && star !== bare.length - 1) return '* stands for the rest of the number, so it may only come last (e.g. +1212*)';
  if (bare.lastIndexOf('+') > 0) return '+ may only begin a pattern (e.g. +1212*)';
  const compiled = compilePattern(source);
  if (!compiled.ok) return compiled.error;
  const digits = compiled.pattern.digits.length;
  if (digits > MAX_NUMBER_DIGITS) {
    return `has ${digits} digits, but a full number has at most ${MAX_NUMBER_DIGITS} (E.164), so it could never match`;
  }
  return undefined;
}
