/**
 * How hard a password is to guess, judged by zxcvbn-ts with its common and
 * English dictionaries, in this thread: the sign-up and reset forms show the
 * verdict as the person types, and the server's password worker
 * (sync-server/accounts/password-judge.ts) judges with this same module. The
 * dictionaries are large (hundreds of KB to download, ~24 MiB of V8 heap once
 * ranked), so the client imports this module lazily, never from the app
 * shell, and the server's main thread never imports it.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { estimatorInput, type PasswordVerdict, verdictByLength, verdictOf } from './password-verdict.js';

export { describeWeakPassword, PASSWORD_MIN_SCORE, type PasswordVerdict } from './password-verdict.js';

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
  const byLength = verdictByLength(password);
  if (byLength) return byLength;
  const input = estimatorInput(password, personal);
  return verdictOf(zxcvbn().check(input.password, input.personalWords));
}
