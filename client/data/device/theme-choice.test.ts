/** The light/dark choice kept on the device. */
import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../testing/memory-storage.js';
import { saveTheme, savedTheme } from './theme-choice.js';

describe('theme choice', () => {
  it('follows the system until a choice is made, then keeps it', () => {
    const storage = memoryStorage();
    expect(savedTheme(storage)).toBe('system');
    saveTheme(storage, 'dark');
    expect(savedTheme(storage)).toBe('dark');
    saveTheme(storage, 'light');
    expect(savedTheme(storage)).toBe('light');
  });

  it('forgets the choice when the system is chosen again', () => {
    const storage = memoryStorage();
    saveTheme(storage, 'dark');
    saveTheme(storage, 'system');
    expect(savedTheme(storage)).toBe('system');
    expect(storage.getItem('hc:theme')).toBeNull();
  });

  it('reads an unknown kept value as the system choice', () => {
    const storage = memoryStorage();
    storage.setItem('hc:theme', 'sepia');
    expect(savedTheme(storage)).toBe('system');
  });
});
