import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { chineseNamesOf, type CldrEmoji } from './chinese-emoji-names.js';
import { EMOJI_CATEGORIES, searchEmoji } from './emoji-data.js';
import { emojiNamesIn } from './emoji-names.js';
import { CHINESE_EMOJI_NAMES } from './generated/zh-CN.js';

const pickerEmoji = EMOJI_CATEGORIES.flatMap((category) => category.entries.map((entry) => entry.emoji));

describe('the picker in Chinese (issue 16)', () => {
  it('has its generated names made from the emojibase-data installed (run `npm run emoji:names` when this fails)', () => {
    const cldr = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('emojibase-data/zh/compact.json'), 'utf8')) as CldrEmoji[];
    expect(CHINESE_EMOJI_NAMES).toBe(chineseNamesOf(pickerEmoji, cldr));
  });

  it('names every emoji of the picker in Chinese', async () => {
    const names = await emojiNamesIn('zh-CN');
    expect(pickerEmoji.filter((emoji) => !names?.get(emoji))).toEqual([]);
    expect(await emojiNamesIn('en')).toBeUndefined();
  });

  it('finds emoji by any part of their Chinese words, shown with their Chinese names, and still by English', async () => {
    const names = await emojiNamesIn('zh-CN');
    const smiles = searchEmoji('笑', 200, names);
    expect(smiles.map((entry) => entry.emoji)).toContain('😀');
    expect(smiles.find((entry) => entry.emoji === '😀')?.name).toBe('嘿嘿');
    expect(searchEmoji('披萨', 64, names).map((entry) => entry.emoji)).toEqual(['🍕']);
    expect(searchEmoji('中国', 64, names).map((entry) => entry.emoji)).toContain('🇨🇳');
    expect(searchEmoji('pizza', 64, names)).toEqual([{ emoji: '🍕', name: '披萨' }]);
    expect(searchEmoji('笑')).toEqual([]);
  });

  it('keeps CLDR words whole: a space or a ";" inside one cannot break the list', () => {
    const list = chineseNamesOf(
      ['🇨🇳', '❤️', '🙂'],
      [
        { unicode: '🇨🇳', label: '旗: 中国', tags: ['旗'] },
        { unicode: '❤', label: '红心', tags: ['爱;心'] },
      ],
    );
    expect(list).toBe('🇨🇳 旗:中国 旗;❤️ 红心 爱心');
  });
});
