/**
 * The rule a password is judged by, without zxcvbn's dictionaries: what the
 * verdict says for zxcvbn's score and feedback, which words of the person's
 * own count against them, and the text of a refusal. The browser judges with
 * zxcvbn in the page (shared/password-strength.ts); the server judges in a
 * worker thread (sync-server/accounts/password-judge.ts), so the dictionaries
 * (~24 MiB of V8 heap) never sit in the relay's heap, where every full
 * collection would mark them (docs/PERFORMANCE.md, issue 14, session 14).
 */
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

/** What a verdict reads of zxcvbn's result. */
export interface GuessEstimate {
  score: number;
  feedback: { warning: string | null; suggestions: string[] };
}

/** The verdict without zxcvbn when the length alone decides it (too short), else null. */
export function verdictByLength(password: string): PasswordVerdict | null {
  if (password.length >= PASSWORD_MIN_LENGTH) return null;
  return { acceptable: false, score: 0, warning: `Use at least ${PASSWORD_MIN_LENGTH} characters.`, suggestions: [] };
}

/** What zxcvbn is asked: the password cut at the maximum (its time grows with the length; past it the server refuses anyway) and the person's words. */
export function estimatorInput(password: string, personal: readonly string[]): { password: string; personalWords: string[] } {
  return { password: password.slice(0, PASSWORD_MAX_LENGTH), personalWords: personalWords(personal) };
}

/** The verdict on zxcvbn's estimate. */
export function verdictOf(estimate: GuessEstimate): PasswordVerdict {
  const acceptable = estimate.score >= PASSWORD_MIN_SCORE;
  return {
    acceptable,
    score: estimate.score,
    warning: acceptable ? '' : (estimate.feedback.warning ?? ''),
    suggestions: acceptable ? [] : estimate.feedback.suggestions,
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
