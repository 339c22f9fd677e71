import { describe, expect, it } from 'vitest';
import { copyText } from './copy-text.js';

describe('copyText', () => {
  it('uses the clipboard API when it writes, and not the old way', async () => {
    const written: string[] = [];
    const old: string[] = [];
    const copied = await copyText('hello', {
      clipboard: { writeText: async (text) => void written.push(text) },
      execCopy: (text) => old.push(text) > 0,
    });
    expect(copied).toBe(true);
    expect(written).toEqual(['hello']);
    expect(old).toEqual([]);
  });

  it('falls back to the old way when the clipboard API refuses (a frame without clipboard-write)', async () => {
    const old: string[] = [];
    const copied = await copyText('你好', {
      clipboard: { writeText: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) },
      execCopy: (text) => old.push(text) > 0,
    });
    expect(copied).toBe(true);
    expect(old).toEqual(['你好']);
  });

  it('falls back when there is no clipboard API, and says so when both refuse', async () => {
    expect(await copyText('a', { clipboard: undefined, execCopy: () => true })).toBe(true);
    expect(await copyText('a', { clipboard: undefined, execCopy: () => false })).toBe(false);
    expect(await copyText('a', { clipboard: { writeText: () => Promise.reject(new Error('no')) }, execCopy: () => false })).toBe(false);
    expect(await copyText('a', {})).toBe(false);
  });
});
