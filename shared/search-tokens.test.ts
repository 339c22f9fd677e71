import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldText, indexTerms, matchesQuery, matchRanges, queryTerms } from './search-tokens.js';

/** Whether every term of the query is satisfied by some indexed term of the text (what both indexes do). */
const finds = matchesQuery;

describe('search terms', () => {
  it('finds a Chinese word inside a sentence written without spaces', () => {
    expect(finds('这个周末去爬山', '周末')).toBe(true);
    expect(finds('这个周末去爬山', '爬山')).toBe(true);
    expect(finds('这个周末去爬山', '末')).toBe(true);
    // Any single character, first, middle or last of its run.
    for (const char of ['这', '周', '去', '山']) expect(finds('这个周末去爬山', char)).toBe(true);
    expect(finds('这个周末去爬山', '海')).toBe(false);
    expect(finds('这个周末去爬山', '周末爬山')).toBe(false);
    expect(finds('这个周末去爬山', '下周')).toBe(false);
  });

  it('finds English words by prefix, whatever the case and accents', () => {
    expect(finds('Hello World, see you at the Café', 'hel')).toBe(true);
    expect(finds('Hello World, see you at the Café', 'WORLD cafe')).toBe(true);
    expect(finds('Hello World', 'orld')).toBe(false);
    expect(finds('Hello World', 'hello moon')).toBe(false);
  });

  it('handles mixed Chinese and English', () => {
    expect(finds('周末meeting在3楼', 'meet')).toBe(true);
    expect(finds('周末meeting在3楼', '周末')).toBe(true);
  });

  it('keeps Japanese voiced marks (only Latin, Greek and Cyrillic accents fold)', () => {
    expect(foldText('がっこう Éte')).toBe('がっこう ete');
  });

  it('asks nothing for punctuation alone', () => {
    expect(queryTerms('  ?! ')).toEqual([]);
    expect(indexTerms('...')).toEqual([]);
  });

  it('never puts the store key separator in a term', () => {
    expect(indexTerms('a!b c').every((term) => !term.includes('!'))).toBe(true);
  });

  it('marks where the query matches, word starts only for prefixes', () => {
    const text = 'Shell says hello to Hello';
    expect(matchRanges(text, 'hel').map(([a, b]) => text.slice(a, b))).toEqual(['hel', 'Hel']);
    const chinese = '这个周末去爬山';
    expect(matchRanges(chinese, '周末').map(([a, b]) => chinese.slice(a, b))).toEqual(['周末']);
    expect(matchRanges('Café au lait', 'cafe')).toEqual([[0, 4]]);
    expect(matchRanges(chinese, '山')).toEqual([[6, 7]]);
  });

  it('finds the same words as Intl.Segmenter in plain ASCII text (the fast path)', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
    const bySegmenter = (text: string) => [
      ...new Set([...segmenter.segment(text.toLowerCase())].filter((part) => part.isWordLike).map((part) => part.segment.slice(0, 32))),
    ];
    // Letters, digits and every punctuation mark the fast path lets through, in every order.
    const alphabet = ['a', 'B', 'z', '0', '7', ' ', ' ', '#', '!', '?', '.', ',', ';', ':', 'e.g', '1,000', 'x:y', 'a;b', '3.14'];
    let seed = 12_345;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const texts = ['#12 hello there, see you at 5.', 'ok. 10,5 a.b 1: x', 'e.g. 3.14 and 1,000!'];
    for (let i = 0; i < 3_000; i++) texts.push(Array.from({ length: 1 + next(24) }, () => alphabet[next(alphabet.length)]).join(''));
    for (const text of texts) expect(indexTerms(text), text).toEqual(bySegmenter(text));
  });

  it('reads a text without CJK as the CJK path reads it, its words first (the path without pieces)', () => {
    const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u30fc]/u;
    const text = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('Café au lait, e.g. 1,000!', 'ΟΔΟΣ Σ', 'straße ﬁne Ｆｕｌｌ', 'a!b c', 'Ünïcödé naïve', ''),
    );
    fc.assert(
      fc.property(
        text.filter((t) => !cjk.test(foldText(t))),
        (plain) => {
          // A CJK character after a space sends the text down the path of pieces: its words come first there.
          expect(indexTerms(`${plain} 这`)).toEqual([...indexTerms(plain), '这']);
        },
      ),
      { numRuns: 500 },
    );
  });
});
