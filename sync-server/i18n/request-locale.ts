/**
 * The language a request wants answers in, from its `Accept-Language`: the
 * app sends the language it speaks (chosen in its settings, else the
 * browser's), a browser its own list. The server speaks the same two
 * languages as the app (client/i18n/locale-choice.ts); every Chinese tag
 * gets Simplified Chinese, anything else English.
 */

export type ServerLocale = 'en' | 'zh-CN';

/** The locale for one language tag, or undefined when we speak nothing close. */
function localeOfTag(tag: string): ServerLocale | undefined {
  const language = tag.trim().toLowerCase().split(/[-_]/)[0];
  if (language === 'zh') return 'zh-CN';
  if (language === 'en') return 'en';
  return undefined;
}

/** The best of the header's languages (by `q`, then order) that we speak; English when none. */
export function localeOfAcceptLanguage(header: string | undefined): ServerLocale {
  if (!header) return 'en';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find((value) => value !== undefined);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0 && Number.isFinite(entry.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    const locale = localeOfTag(tag);
    if (locale) return locale;
  }
  return 'en';
}

/** The language of a text someone wrote: Chinese when it has Chinese characters, else English (the robot answers in kind). */
export function localeOfText(text: string): ServerLocale {
  return /\p{Script=Han}/u.test(text) ? 'zh-CN' : 'en';
}

/** Whether a text has words to tell its language by ("1/0" and "🎉" have none). */
function hasWords(text: string): boolean {
  return /\p{L}/u.test(text);
}

/**
 * The language to answer a message in: its own when it has words, else that
 * of the newest earlier message of the person that has (a bare "1/0" after
 * "你好" is answered in Chinese), else English.
 */
export function localeOfMessageInContext(text: string, earlierTexts: readonly string[]): ServerLocale {
  if (hasWords(text)) return localeOfText(text);
  for (let index = earlierTexts.length - 1; index >= 0; index--) {
    const earlier = earlierTexts[index] ?? '';
    if (hasWords(earlier)) return localeOfText(earlier);
  }
  return 'en';
}
