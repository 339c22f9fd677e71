/**
 * The picker's emoji names in the app's language: English is built into
 * emoji-data.ts; Chinese (CLDR's names and keywords, chinese-emoji-names.ts)
 * is a separate module loaded on first use, so English readers never fetch it.
 */
import type { AppLocale } from '../../i18n/locale-choice.js';

/** emoji → `name keyword keyword…` in one language; the first word is the name to show. */
export type EmojiNames = ReadonlyMap<string, string>;

/** Parses the `emoji words…;emoji words…` format of emoji-data.ts and the generated modules. */
export function parseEmojiNames(list: string): EmojiNames {
  const names = new Map<string, string>();
  for (const item of list.split(';')) {
    const space = item.indexOf(' ');
    if (space > 0) names.set(item.slice(0, space), item.slice(space + 1));
  }
  return names;
}

/** The names in `locale` beside the English ones, or undefined for English. */
export async function emojiNamesIn(locale: AppLocale): Promise<EmojiNames | undefined> {
  if (locale !== 'zh-CN') return undefined;
  const { CHINESE_EMOJI_NAMES } = await import('./generated/zh-CN.js');
  return parseEmojiNames(CHINESE_EMOJI_NAMES);
}
