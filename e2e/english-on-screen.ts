/**
 * The English words a person can see or hear on the page: visible text and
 * the labels assistive technology reads (aria-label, placeholder, title,
 * alt), through every shadow root, minus what the test itself typed (names,
 * emails) and what is the same in every language. For issue 16's check that
 * a Chinese screen has no English left on it.
 */
import type { Page } from '@playwright/test';

/** Words that are rightly in Latin letters on a Chinese screen, and why. */
const SAME_IN_EVERY_LANGUAGE = [
  'Happy Chat', // the product's name
  'UTC', // the time zone
  'Safari', // a browser's name (the history note)
  // Browser and system names in the account's device list ("Linux 上的 Chrome"): product names, not translated
  'Chrome',
  'Chromium',
  'Firefox',
  'Edge',
  'Linux',
  'Windows',
  'macOS',
  'Android',
  'iOS',
];

/** Every text a person can read or hear, as `kind: text` lines. */
async function readableTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const READ = ['aria-label', 'placeholder', 'title', 'alt'];
    const visit = (root: Node): void => {
      for (let node = root.firstChild; node; node = node.nextSibling) {
        if (node.nodeType === Node.TEXT_NODE) {
          const parent = node.parentElement;
          const text = node.textContent?.trim() ?? '';
          if (text && parent && !['STYLE', 'SCRIPT'].includes(parent.tagName) && parent.checkVisibility({ visibilityProperty: true })) {
            found.push(`text: ${text}`);
          }
        } else if (node instanceof Element) {
          for (const name of READ) {
            const value = node.getAttribute(name);
            if (value?.trim()) found.push(`${name}: ${value.trim()}`);
          }
          if (node.shadowRoot) visit(node.shadowRoot);
          visit(node);
        }
      }
    };
    visit(document.body);
    return found;
  });
}

/** The readable texts that still hold English words once `typed` (names, emails, messages) and the allowed names are taken out. */
export async function englishOnScreen(page: Page, typed: readonly string[]): Promise<string[]> {
  const allowed = [...typed, ...SAME_IN_EVERY_LANGUAGE].sort((a, b) => b.length - a.length);
  return (await readableTexts(page)).filter((line) => {
    let text = line.slice(line.indexOf(':') + 2);
    for (const words of allowed) text = text.replaceAll(words, ' ');
    return /[A-Za-z]{2,}/.test(text);
  });
}
