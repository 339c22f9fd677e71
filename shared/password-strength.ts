/**
 * How hard a password is to guess, judged by zxcvbn-ts with its common and
 * English dictionaries: the server refuses a weak password at registration,
 * reset and in the admin command; the sign-up and reset forms show the same
 * verdict as the person types. The dictionaries are large (hundreds of KB),
 * so the client imports this module lazily, never from the app shell.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './limits.js';

/**
 * zxcvbn's score 3 ("safely unguessable: moderate protection from an offline
 * slow-hash scenario", about 10^8 guesses): with argon2 on the server this is
 * out of reach of an online guesser, and it refuses the heavily used ones
 * ("12345678", "password1", "qwertyuiop").
 */
export const PASSWORD_MIN_SCORE = 3;

/** The verdict on one password: whether it is accepted and, if not, why and what would help. */
export interface PasswordVerdict {
  acceptable: boolean;
  /** 0 (guessed at once) to 4 (very hard to guess). */
  score: number;
  /** One sentence on what is wrong, or '' when nothing is. */
  warning: string;
  suggestions: string[];
}

let judge: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  judge ??= new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
  return judge;
}

/**
 * Judges `password`; `personal` are words of the person's own (their name,
 * their email) that make a password easy to guess for someone who knows them.
 */
export function judgePassword(password: string, personal: readonly string[] = []): PasswordVerdict {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return { acceptable: false, score: 0, warning: `Use at least ${PASSWORD_MIN_LENGTH} characters.`, suggestions: [] };
  }
  // zxcvbn's time grows with the length; past the maximum the server refuses anyway.
  const result = zxcvbn().check(password.slice(0, PASSWORD_MAX_LENGTH), personalWords(personal));
  const acceptable = result.score >= PASSWORD_MIN_SCORE;
  return {
    acceptable,
    score: result.score,
    warning: acceptable ? '' : (result.feedback.warning ?? ''),
    suggestions: acceptable ? [] : result.feedback.suggestions,
  };
}

/** The name's words and the email's parts, so "ada.lovelace1" is weak for Ada Lovelace. */
function personalWords(personal: readonly string[]): string[] {
  return personal.flatMap((text) => [text, ...text.toLowerCase().split(/[\s@.+_-]+/)]).filter((word) => word.length >= 3);
}

/** The text a refused password gets: the warning, then the first suggestion. */
export function describeWeakPassword(verdict: PasswordVerdict): string {
  return ['This password is too easy to guess.', verdict.warning, verdict.suggestions[0] ?? ''].filter((part) => part !== '').join(' ');
}
