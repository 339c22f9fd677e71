/** Both themes keep WCAG AA contrast for the text the app draws on each background. */
import { describe, expect, it } from 'vitest';
import { DARK_THEME, LIGHT_THEME, type ThemeToken, themeStylesheet } from './theme-styles.js';

/** WCAG 2.x relative luminance of a #rrggbb color. */
function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Text color on background, as the components pair them. */
const TEXT_ON: Array<[ThemeToken, ThemeToken]> = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['text', 'accent-soft'],
  ['text', 'danger-soft'],
  ['text', 'warn-soft'],
  ['text', 'highlight'],
  ['muted', 'bg'],
  ['muted', 'surface'],
  ['accent', 'surface'],
  ['accent-dark', 'surface'],
  ['accent-dark', 'bg'],
  ['accent-dark', 'accent-soft'],
  ['danger', 'surface'],
  ['danger', 'bg'],
  ['danger', 'danger-soft'],
  ['ok', 'surface'],
  ['warn', 'surface'],
  ['on-fill', 'accent'],
  ['on-fill', 'accent-dark'],
  ['on-fill', 'danger'],
];

describe.each([
  ['light', LIGHT_THEME],
  ['dark', DARK_THEME],
])('the %s theme', (_name, theme) => {
  it.each(TEXT_ON)('draws %s on %s at 4.5:1 at least', (text, background) => {
    expect(contrast(theme[text], theme[background])).toBeGreaterThanOrEqual(4.5);
  });
});

describe('themeStylesheet', () => {
  it('follows the system unless light or dark was chosen', () => {
    const css = themeStylesheet();
    expect(css).toContain(":root[data-theme='dark'] { color-scheme: dark;");
    expect(css).toContain("@media (prefers-color-scheme: dark) { :root:not([data-theme='light'])");
    expect(css).toContain(`--hc-surface: ${DARK_THEME.surface};`);
  });
});
