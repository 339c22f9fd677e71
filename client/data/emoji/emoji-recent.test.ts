import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../testing/memory-storage.js';
import { searchEmoji } from './emoji-data.js';
import { RECENT_EMOJI_MAX, RecentEmoji } from './emoji-recent.js';

describe('recent emoji', () => {
  it('keeps the last used first, without duplicates, bounded', () => {
    const recent = new RecentEmoji(memoryStorage());
    recent.use('😀');
    recent.use('👍');
    recent.use('😀');
    expect(recent.list()).toEqual(['😀', '👍']);
    for (let i = 0; i < 40; i++) recent.use(String.fromCodePoint(0x1f600 + i));
    expect(recent.list()).toHaveLength(RECENT_EMOJI_MAX);
  });

  it('survives damaged storage', () => {
    const storage = memoryStorage();
    storage.setItem('happy-chat:recent-emoji', '{not json');
    expect(new RecentEmoji(storage).list()).toEqual([]);
  });
});

describe('searchEmoji', () => {
  it('finds emoji by word prefixes of their names', () => {
    expect(searchEmoji('thumbs up').map((e) => e.emoji)).toContain('👍');
    expect(searchEmoji('thu up').map((e) => e.emoji)).toContain('👍');
    expect(searchEmoji('pizza').map((e) => e.emoji)).toEqual(['🍕']);
    expect(searchEmoji('   ')).toEqual([]);
  });
});
