/** The emoji a person used last, newest first, kept in localStorage for the picker's first row. */
import type { KeyValueStorage } from '../key-value-storage.js';

const RECENT_KEY = 'happy-chat:recent-emoji';
export const RECENT_EMOJI_MAX = 24;

export class RecentEmoji {
  constructor(private readonly storage: KeyValueStorage = localStorage) {}

  list(): string[] {
    try {
      const value: unknown = JSON.parse(this.storage.getItem(RECENT_KEY) ?? '[]');
      return Array.isArray(value) ? value.filter((e): e is string => typeof e === 'string').slice(0, RECENT_EMOJI_MAX) : [];
    } catch {
      return [];
    }
  }

  /** Moves `emoji` to the front. */
  use(emoji: string): void {
    const next = [emoji, ...this.list().filter((e) => e !== emoji)].slice(0, RECENT_EMOJI_MAX);
    try {
      this.storage.setItem(RECENT_KEY, JSON.stringify(next));
    } catch (error) {
      // Storage full or blocked (private mode): recent emoji are a nicety.
      console.warn('Could not remember a recent emoji', error);
    }
  }
}
