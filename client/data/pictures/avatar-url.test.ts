import { describe, expect, it } from 'vitest';
import { hueOf, initialOf, safeAvatarUrl } from './avatar-url.js';

describe('safeAvatarUrl', () => {
  it('keeps our blob addresses and http(s) URLs', () => {
    const blob = `/api/blobs/${'a1'.repeat(32)}`;
    expect(safeAvatarUrl(blob)).toBe(blob);
    expect(safeAvatarUrl('https://example.com/me.png')).toBe('https://example.com/me.png');
  });

  it('drops everything else', () => {
    for (const value of [
      'javascript:alert(1)',
      'data:image/svg+xml,<svg onload=alert(1)>',
      '//evil.example/x.png',
      '/api/auth/logout',
      '/api/blobs/../me',
      42,
      undefined,
    ]) {
      expect(safeAvatarUrl(value)).toBeUndefined();
    }
  });
});

describe('picture-less avatars', () => {
  it('use the first letter, not half an emoji', () => {
    expect(initialOf(' ann')).toBe('A');
    expect(initialOf('🧗 Climbing')).toBe('🧗');
    expect(initialOf('')).toBe('?');
  });

  it('give each key a stable hue', () => {
    expect(hueOf('abc')).toBe(hueOf('abc'));
    expect(hueOf('abc')).toBeGreaterThanOrEqual(0);
    expect(hueOf('abc')).toBeLessThan(360);
  });
});
