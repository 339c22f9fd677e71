import { describe, expect, it } from 'vitest';
import { snippetPieces } from './snippet.js';

const shown = (text: string, query: string, max?: number) =>
  snippetPieces(text, query, max)
    .map((piece) => (piece.match ? `[${piece.text}]` : piece.text))
    .join('');

describe('snippetPieces', () => {
  it('marks every match, Chinese and English', () => {
    expect(shown('这个周末去爬山', '周末')).toBe('这个[周末]去爬山');
    expect(shown('Hello hello, shell', 'hel')).toBe('[Hel]lo [hel]lo, shell');
  });

  it('keeps markup as text (the component escapes it)', () => {
    expect(snippetPieces('<b>bold</b> move', 'bold')).toEqual([
      { text: '<b>', match: false },
      { text: 'bold', match: true },
      { text: '</b> move', match: false },
    ]);
  });

  it('shows the text around the first match of a long message', () => {
    const text = `${'a '.repeat(100)}needle ${'b '.repeat(100)}`;
    const pieces = shown(text, 'needle', 60);
    expect(pieces.startsWith('…')).toBe(true);
    expect(pieces.endsWith('…')).toBe(true);
    expect(pieces).toContain('[needle]');
  });
});
