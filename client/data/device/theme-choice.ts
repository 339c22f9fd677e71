/**
 * Light or dark: follow the system (`prefers-color-scheme`), or always one of
 * them. The choice is kept on this device, like the language; the colors
 * themselves are `components/theme-styles.ts`.
 */
import type { KeyValueStorage } from '../key-value-storage.js';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

const STORAGE_KEY = 'hc:theme';

/** The choice kept on this device; 'system' when none (or an unknown value) is kept. */
export function savedTheme(storage: KeyValueStorage): ThemeChoice {
  const value = storage.getItem(STORAGE_KEY);
  return THEME_CHOICES.find((choice) => choice === value) ?? 'system';
}

/** Keeps the choice; 'system' is the default, so it is stored as no choice at all. */
export function saveTheme(storage: KeyValueStorage, choice: ThemeChoice): void {
  if (choice === 'system') storage.removeItem(STORAGE_KEY);
  else storage.setItem(STORAGE_KEY, choice);
}
