/** `npm run emoji:names`: writes generated/zh-CN.ts, the picker's Chinese emoji names (chinese-emoji-names.ts says why). */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chineseNamesModule, chineseNamesOf, type CldrEmoji } from './chinese-emoji-names.js';
import { EMOJI_CATEGORIES } from './emoji-data.js';

const cldr = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('emojibase-data/zh/compact.json'), 'utf8')) as CldrEmoji[];
const emojis = EMOJI_CATEGORIES.flatMap((category) => category.entries.map((entry) => entry.emoji));
const target = new URL('./generated/zh-CN.ts', import.meta.url);
writeFileSync(target, chineseNamesModule(chineseNamesOf(emojis, cldr)));
console.log(`wrote ${target.pathname}`);
