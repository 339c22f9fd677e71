/**
 * Which language the app speaks: the one the person chose in settings (kept
 * in localStorage, so it holds before sign-in and across reloads), else the
 * first of the browser's languages we have, else English. Pure: the browser
 * hands in its storage and `navigator.languages`.
 */
import type { KeyValueStorage } from '../data/key-value-storage.js';

/** Every language the app speaks; English is the source, the others come from client/i18n/xliff/. */
export const APP_LOCALES = ['en', 'zh-CN'] as const;
export type AppLocale = (typeof APP_LOCALES)[number];

const LOCALE_KEY = 'happy-chat:locale';

/**
 * The app's locale for a language tag such as `zh`, `zh-Hans-CN`, `zh-TW`
 * or `en-GB`, or undefined when we speak nothing close. Every Chinese tag
 * gets Simplified Chinese: a Traditional Chinese reader reads it far better
 * than English.
 */
export function localeFor(tag: string | null | undefined): AppLocale | undefined {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  if (language === 'zh') return 'zh-CN';
  if (language === 'en') return 'en';
  return undefined;
}

/** The first of `tags` (most preferred first) that we speak, else English. */
export function matchLocale(tags: readonly (string | null | undefined)[]): AppLocale {
  for (const tag of tags) {
    const locale = localeFor(tag);
    if (locale) return locale;
  }
  return 'en';
}

/** The language chosen in settings on this device, if any. */
export function savedLocale(storage: KeyValueStorage): AppLocale | undefined {
  const saved = storage.getItem(LOCALE_KEY);
  return APP_LOCALES.find((locale) => locale === saved);
}

/** Remembers a choice made in settings; `undefined` goes back to following the browser. */
export function saveLocale(storage: KeyValueStorage, locale: AppLocale | undefined): void {
  if (locale) storage.setItem(LOCALE_KEY, locale);
  else storage.removeItem(LOCALE_KEY);
}

/** The language to start in: the saved choice, else the browser's. */
export function startingLocale(storage: KeyValueStorage, browserLanguages: readonly string[]): AppLocale {
  return savedLocale(storage) ?? matchLocale(browserLanguages);
}
