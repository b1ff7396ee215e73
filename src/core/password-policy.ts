import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { invalidFields } from './errors.js';

/**
 * What a new password must be: long enough, and not guessable from the lists crackers start
 * with. zxcvbn (the maintained TypeScript port) scores a password against ~40,000 common
 * passwords, names, English words, keyboard walks, dates and repeats, and against the
 * person's own details (email, name, domain); score 3 means "safely unguessable"
 * (about 10^8 guesses), which a throttled sign-in never reaches.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_SCORE = 3;

export type PasswordVerdict = { kind: 'ok' } | { kind: 'weak'; message: string };

let estimator: ZxcvbnFactory | undefined;
/** Built on first use: the dictionaries take ~100 ms and a few MB, which only password writes need. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return estimator;
}

/** The words of the person's own details (email parts, name, domain labels), which a password may not lean on. */
function personalWords(context: readonly string[]): string[] {
  return context.flatMap((value) => [value, ...value.split(/[@.\s_+-]+/)]).map((w) => w.toLowerCase()).filter((w) => w.length >= 3);
}

/** Judges a new password; `context` holds the person's email, name and tenant domain. */
export function checkPassword(password: string, context: readonly string[] = []): PasswordVerdict {
  if (password.length < PASSWORD_MIN_LENGTH) return { kind: 'weak', message: `must be at least ${PASSWORD_MIN_LENGTH} characters` };
  if (password.length > PASSWORD_MAX_LENGTH) return { kind: 'weak', message: `must be at most ${PASSWORD_MAX_LENGTH} characters` };
  const result = zxcvbn().check(password, personalWords(context));
  if (result.score >= PASSWORD_MIN_SCORE) return { kind: 'ok' };
  const why = result.feedback.warning ?? 'This password is too easy to guess.';
  const hint = result.feedback.suggestions[0] ?? 'Add another word or two that are not common together.';
  return { kind: 'weak', message: `is too easy to guess: ${why} ${hint}` };
}

/** A 422 naming the field when the new password does not pass `checkPassword`. */
export function assertAcceptablePassword(password: string, context: readonly string[], field = 'password'): void {
  const verdict = checkPassword(password, context);
  if (verdict.kind === 'weak') throw invalidFields({ [field]: [verdict.message] }, `The ${field.replace(/_/g, ' ')} ${verdict.message}`);
}
