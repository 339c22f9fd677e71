import { describe, expect, it } from 'vitest';
import { mentionsName } from './mention.js';

describe('mentions', () => {
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
