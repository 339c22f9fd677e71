import { describe, expect, it } from 'vitest';
import { isEmojiOnly } from './emoji-text.js';

describe('isEmojiOnly', () => {
  it('is true for a few emoji, with modifiers, joins, flags and keycaps', () => {
    for (const text of ['👍', '😀😀', ' ❤️ ', '👍🏽', '👩‍💻', '🏳️‍🌈', '🇯🇵', '1️⃣', '🎉 🎉 🎉']) {
      expect(isEmojiOnly(text), text).toBe(true);
    }
  });

  it('is false for text, digits, emoji in a sentence, and long emoji runs', () => {
    for (const text of ['', 'hi 👋', '123', '#', 'ok', '😀😀😀😀😀😀😀', '你好']) {
      expect(isEmojiOnly(text), text).toBe(false);
    }
  });
});
