/**
 * The launcher's few words, through msg() (@lit/localize) with a catalog of
 * their own (lit-localize.widget.json, client/i18n/xliff/widget/), so
 * `/widget.js` does not carry the app's texts; the iframe has its own
 * (client/embed/embed-strings.ts).
 */
import { configureLocalization, msg, str } from '@lit/localize';
import { type AppLocale, matchLocale } from '../i18n/locale-choice.js';

export interface LauncherStrings {
  open: string;
  close: string;
  chatWith(name: string): string;
  unread(count: number): string;
}

/** Every text of the launcher in the current language. */
export function launcherStrings(): LauncherStrings {
  return {
    open: msg('Open chat'),
    close: msg('Close chat'),
    chatWith: (name) => (name ? msg(str`Chat with ${name}`) : msg('Chat')),
    unread: (count) => msg(str`${count} unread`),
  };
}

const localization = configureLocalization({
  sourceLocale: 'en',
  targetLocales: ['zh-CN'],
  loadLocale: (locale) => import(`../i18n/generated/widget/${locale}.ts`),
});

/**
 * Speaks the language of `tag` (the widget's `locale` setting, else the host
 * page's `lang`) from now on; resolves when its texts are in. One language
 * per page: two launchers with different `locale`s speak the last one set.
 */
export async function speakLauncherLanguage(tag: string): Promise<AppLocale> {
  const locale = matchLocale([tag]);
  if (localization.getLocale() !== locale) await localization.setLocale(locale);
  return locale;
}
