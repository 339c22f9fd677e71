/**
 * No text a person reads is left out of the translation: a scan of every
 * component's and the widget iframe's html`` templates (client/testing/untranslated-text.ts)
 * for bare words, literal labels and capitalised strings not wrapped in msg().
 * What may stay as it is sits in ALLOWED, with the reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { untranslatedTexts } from '../testing/untranslated-text.js';

const CLIENT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = ['components', 'embed'];

/** `file: text` pairs that are the same in every language, and why. */
const ALLOWED: Record<string, string> = {
  'site-form.ts: placeholder="https://shop.example"': 'an example web address, not words',
};

it('wraps every user-facing text of the components and the widget iframe in msg()', () => {
  const found: string[] = [];
  for (const folder of SCANNED) {
    for (const file of readdirSync(path.join(CLIENT, folder)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))) {
      for (const text of untranslatedTexts(readFileSync(path.join(CLIENT, folder, file), 'utf8'))) {
        const key = `${file}: ${text.text}`;
        if (!(key in ALLOWED)) found.push(`${folder}/${file}:${text.line} ${text.text}`);
      }
    }
  }
  expect(found).toEqual([]);
});
