import { describe, expect, it } from 'vitest';
import { mentionQueryAt, mentionsName, mentionText, suggestMentions } from './mentions.js';

describe('mentionsName', () => {
  it('recognizes @ and the full display name or its first word, in any case', () => {
    expect(mentionsName('@Ada Lovelace look', 'Ada Lovelace')).toBe(true);
    expect(mentionsName('hey @ada, look', 'Ada Lovelace')).toBe(true);
    expect(mentionsName('@ADA', 'Ada Lovelace')).toBe(true);
  });

  it('needs the @ at the start or after a space, and the name to end there', () => {
    expect(mentionsName('mail ada@ada.org', 'Ada')).toBe(false);
    expect(mentionsName('@Adam was here', 'Ada')).toBe(false);
    expect(mentionsName('Ada said hi', 'Ada')).toBe(false);
    expect(mentionsName('@Ada_x', 'Ada')).toBe(false);
  });

  it('treats names with regular-expression characters literally', () => {
    expect(mentionsName('@J.R. hi', 'J.R.')).toBe(true);
    expect(mentionsName('@JxR. hi', 'J.R.')).toBe(false);
    expect(mentionsName('@(a+)+ hi', '(a+)+')).toBe(true);
  });

  it('works for names in other scripts', () => {
    expect(mentionsName('你好 @小明 看这里', '小明')).toBe(true);
    expect(mentionsName('@小明明', '小明')).toBe(false);
  });

  it('finds a mention written without a space before it, as Chinese is, but never inside an email address', () => {
    expect(mentionsName('你好@小明 看这里', '小明')).toBe(true);
    expect(mentionsName('你好，@小明 看这里', '小明')).toBe(true);
    expect(mentionsName('（@Ada）', 'Ada')).toBe(true);
    expect(mentionsName('写信给 xiaoming@ada.org', 'ada')).toBe(false);
    expect(mentionsName('mail 2@Ada', 'Ada')).toBe(false);
    expect(mentionsName('a.b@Ada', 'Ada')).toBe(false);
  });
});

describe('mentionQueryAt', () => {
  it('follows the fragment typed after an @ up to the caret', () => {
    expect(mentionQueryAt('hi @Ad', 6)).toEqual({ start: 3, query: 'Ad' });
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('hi @Ad there', 6)).toEqual({ start: 3, query: 'Ad' });
  });

  it('opens after a CJK character, never inside an email address or after a space in the fragment', () => {
    expect(mentionQueryAt('你好@小', 4)).toEqual({ start: 2, query: '小' });
    expect(mentionQueryAt('mail ada@ad', 11)).toBeNull();
    expect(mentionQueryAt('hi @Ada Lo', 10)).toBeNull();
    expect(mentionQueryAt('no at sign', 10)).toBeNull();
    expect(mentionQueryAt(`@${'x'.repeat(40)}`, 41)).toBeNull();
  });
});

describe('suggestMentions', () => {
  const members = [
    { id: 'a', name: 'Ada Lovelace' },
    { id: 'b', name: 'Bob' },
    { id: 'z', name: '张小明' },
    { id: 'l', name: 'Léa' },
    { id: 'g', name: 'Grace Adams' },
  ];

  it('matches the start of the name first, then of a later word, then anywhere, ignoring case and accents', () => {
    expect(suggestMentions(members, 'ad').map((m) => m.id)).toEqual(['a', 'g']);
    expect(suggestMentions(members, 'lea').map((m) => m.id)).toEqual(['l']);
    expect(suggestMentions(members, '张').map((m) => m.id)).toEqual(['z']);
    expect(suggestMentions(members, '小明').map((m) => m.id)).toEqual(['z']);
    expect(suggestMentions(members, 'ace').map((m) => m.id)).toEqual(['a', 'g']);
    expect(suggestMentions(members, 'zz')).toEqual([]);
  });

  it('offers everyone, by name, for a bare @, at most eight', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ id: String(i), name: `Person ${String(i).padStart(2, '0')}` }));
    expect(suggestMentions(many, '')).toHaveLength(8);
    expect(suggestMentions(members, '').map((m) => m.id)).toEqual(['a', 'b', 'g', 'l', 'z']);
  });

  it('inserts the name the server matches, then a space', () => {
    const inserted = `${mentionText('张小明')}看这里`;
    expect(inserted).toBe('@张小明 看这里');
    expect(mentionsName(inserted, '张小明')).toBe(true);
  });
});
