/**
 * The app's and the widget iframe's @lit/localize setup, in runtime mode so
 * that a language chosen in settings applies at once, without a reload:
 * `setLocale` loads the language's generated module (client/i18n/generated/app/)
 * and every element that is `@localized()` (or calls `updateWhenLocaleChanges`)
 * renders again. Wrap a user-facing text in `msg('…')`, one with values in
 * msg(str`…${value}…`); see docs/LOCALIZATION.md.
 */
import { configureLocalization } from '@lit/localize';
import { sourceLocale, targetLocales } from './generated/locale-codes.js';
import type { KeyValueStorage } from '../data/key-value-storage.js';
import { type AppLocale, saveLocale, startingLocale } from './locale-choice.js';

const localization = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: (locale) => import(`./generated/app/${locale}.ts`),
});

/** The language msg() speaks right now (the source language until a target one has loaded). */
export function currentLocale(): AppLocale {
  return localization.getLocale() as AppLocale;
}

let wanted: AppLocale = sourceLocale;

/**
 * The language the app is switching to or speaks: set at once by useLocale,
 * before the texts have loaded, so a request made meanwhile (the activation
 * right after the page opens) already asks the server for it.
 */
export function wantedLocale(): AppLocale {
  return wanted;
}

/**
 * Switches every msg() to `locale` and tells the page's assistive technology
 * and spell checker (`<html lang>`). Resolves once the new texts are in.
 */
export async function useLocale(locale: AppLocale): Promise<void> {
  wanted = locale;
  document.documentElement.lang = locale;
  await localization.setLocale(locale);
}

/**
 * A choice made in settings: remembered on this device and applied at once.
 * `undefined` forgets the choice and follows the browser's languages again.
 */
export async function chooseLocale(choice: AppLocale | undefined, storage: KeyValueStorage = localStorage): Promise<void> {
  saveLocale(storage, choice);
  await useLocale(startingLocale(storage, navigator.languages));
}

/** The language the app starts in (the saved choice, else the browser's), applied. */
export function startLocalization(storage: KeyValueStorage = localStorage): Promise<void> {
  return useLocale(startingLocale(storage, navigator.languages));
}
