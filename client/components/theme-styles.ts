/**
 * The app's colors, light and dark, as CSS custom properties on the page's
 * root (`--hc-*`), which every component's styles read. One table per theme,
 * so a color is named once; the page follows the system's
 * `prefers-color-scheme` unless the person chose light or dark
 * (`data/device/theme-choice.ts`, kept as `data-theme` on <html>).
 * The pairs the app draws text with keep WCAG AA contrast in both themes
 * (theme-styles.test.ts checks them).
 */
import type { ThemeChoice } from '../data/device/theme-choice.js';

export type ThemeToken =
  | 'accent'
  | 'accent-dark'
  | 'accent-soft'
  | 'bg'
  | 'surface'
  | 'border'
  | 'text'
  | 'muted'
  | 'danger'
  | 'danger-soft'
  | 'ok'
  | 'warn'
  | 'warn-soft'
  | 'warn-border'
  | 'highlight'
  | 'on-fill';

/**
 * `accent` and `danger` are text on surfaces and also fills (buttons, badges)
 * with `on-fill` text on them; `accent-dark` is the accent for small text.
 */
export const LIGHT_THEME: Readonly<Record<ThemeToken, string>> = {
  accent: '#2f6fde',
  'accent-dark': '#2459b8',
  'accent-soft': '#e7efff',
  bg: '#f3f5f9',
  surface: '#ffffff',
  border: '#dde2ea',
  text: '#1d2430',
  muted: '#5b6472',
  danger: '#c0392b',
  'danger-soft': '#fdecea',
  // Darker than the first #1e8e4f, which was 4.2:1 on white (the "sent" under the sign-in card).
  ok: '#187a43',
  warn: '#a86500',
  'warn-soft': '#fff4d6',
  'warn-border': '#f0d58c',
  // Search matches (<mark>), under `text`.
  highlight: '#ffe58a',
  'on-fill': '#ffffff',
};

/** Dark: light text on dark surfaces, so accents are lighter and fills carry dark text. */
export const DARK_THEME: Readonly<Record<ThemeToken, string>> = {
  accent: '#7ea6f2',
  'accent-dark': '#a9c3ff',
  'accent-soft': '#203a66',
  bg: '#0f1318',
  surface: '#1a2029',
  border: '#343e4c',
  text: '#e6e9ef',
  muted: '#a3adbb',
  danger: '#ff8a80',
  'danger-soft': '#3d1f1f',
  ok: '#5cd08f',
  warn: '#f0b35a',
  'warn-soft': '#3a2e12',
  'warn-border': '#6b5420',
  // A deep amber, so the light text stays readable on it (a light yellow would not be).
  highlight: '#6b5300',
  'on-fill': '#0f1318',
};

function declarations(theme: Readonly<Record<ThemeToken, string>>, scheme: 'light' | 'dark'): string {
  const lines = Object.entries(theme).map(([token, value]) => `--hc-${token}: ${value};`);
  return `color-scheme: ${scheme}; ${lines.join(' ')}`;
}

/** The stylesheet: light by default, dark when chosen, or when the system is dark and nothing else was chosen. */
export function themeStylesheet(): string {
  const dark = declarations(DARK_THEME, 'dark');
  return [
    `:root { ${declarations(LIGHT_THEME, 'light')} }`,
    `:root[data-theme='dark'] { ${dark} }`,
    `@media (prefers-color-scheme: dark) { :root:not([data-theme='light']) { ${dark} } }`,
  ].join('\n');
}

/** Puts the colors on the page (once) and applies the person's choice. */
export function applyTheme(choice: ThemeChoice, doc: Document = document): void {
  if (!doc.getElementById('hc-theme')) {
    const style = doc.createElement('style');
    style.id = 'hc-theme';
    style.textContent = themeStylesheet();
    // After the page's own <style>, whose `color-scheme: light dark` holds only until this says which.
    doc.head.append(style);
  }
  doc.documentElement.dataset.theme = choice;
}
