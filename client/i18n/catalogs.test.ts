/**
 * Both languages complete: every msg() in the sources (the app's and the
 * widget loader's catalogs) has a Simplified Chinese translation in the
 * XLIFF, the translation is in Chinese (not English copied over), and the
 * generated runtime module carries it (`npm run i18n:build` was run).
 * A string added without a translation fails here with its text.
 */
import { readConfigFileAndWriteSchema } from '@lit/localize-tools/lib/config.js';
import { RuntimeLitLocalizer } from '@lit/localize-tools/lib/modes/runtime.js';
import type { Locale } from '@lit/localize-tools/lib/types/locale.js';
import type { RuntimeOutputConfig } from '@lit/localize-tools/lib/types/modes.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { templates as appTemplates } from './generated/app/zh-CN.js';
import { templates as widgetTemplates } from './generated/widget/zh-CN.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Latin-letter words a Chinese text rightly keeps, and why. */
const KEPT_IN_CHINESE: Record<string, string> = {
  'Happy Chat': 'the product name',
  '@robot': 'what people type to call the robot',
  'https://shop.example': 'an example web address',
  Safari: 'a browser name',
  iPhone: 'a device name',
  iPad: 'a device name',
  HTTP: 'the protocol, with a status code',
};

type Contents = ReadonlyArray<string | { untranslatable: string }>;
const textOf = (contents: Contents) => contents.map((part) => (typeof part === 'string' ? part : '{}')).join('');

describe.each([
  ['app', 'lit-localize.json', appTemplates],
  ['widget', 'lit-localize.widget.json', widgetTemplates],
])('the %s catalog', (_name, configFile, generated) => {
  const config = readConfigFileAndWriteSchema(path.join(ROOT, configFile));
  const localizer = new RuntimeLitLocalizer(config as typeof config & { output: RuntimeOutputConfig });
  const { messages, errors } = localizer.extractSourceMessages();
  const chinese = new Map(
    (localizer.readTranslationsSync().translations.get('zh-CN' as Locale) ?? []).map((message) => [message.name, message]),
  );

  it('reads every msg() call', () => {
    expect(errors.map((error) => String(error.messageText))).toEqual([]);
    expect(messages.length).toBeGreaterThan(0);
  });

  it('has a Chinese translation of every message (client/i18n/xliff/)', () => {
    const missing = messages.filter((message) => !chinese.has(message.name)).map((message) => textOf(message.contents));
    expect(missing).toEqual([]);
  });

  it('translates into Chinese, not English copied over', () => {
    const english = [...chinese.values()]
      .map((message) => textOf(message.contents))
      .filter((text) => /[A-Za-z]{2,}/.test(Object.keys(KEPT_IN_CHINESE).reduce((rest, kept) => rest.replaceAll(kept, ' '), text)));
    expect(english).toEqual([]);
  });

  it('is built into the runtime module (npm run i18n:build)', () => {
    const unbuilt = messages.filter((message) => !(message.name in generated)).map((message) => textOf(message.contents));
    expect(unbuilt).toEqual([]);
  });
});
