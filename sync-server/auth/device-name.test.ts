import { describe, expect, it } from 'vitest';
import { DEVICE_NAME_MAX_LENGTH, deviceName } from './device-name.js';

describe('device names for the list of sessions', () => {
  it('names common browsers and systems', () => {
    const chromeWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const safariIphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    const edge = `${chromeWindows} Edg/131.0.0.0`;
    const firefoxLinux = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const chromeAndroid =
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
    expect(deviceName(chromeWindows)).toBe('Chrome on Windows');
    expect(deviceName(safariIphone)).toBe('Safari on iOS');
    expect(deviceName(edge)).toBe('Edge on Windows');
    expect(deviceName(firefoxLinux)).toBe('Firefox on Linux');
    expect(deviceName(chromeAndroid)).toBe('Chrome on Android');
  });

  it('keeps a trimmed copy of an agent it cannot name, and nothing for none', () => {
    expect(deviceName('curl/8.5.0')).toBe('curl/8.5.0');
    expect(deviceName('x'.repeat(500))).toHaveLength(DEVICE_NAME_MAX_LENGTH);
    expect(deviceName(undefined)).toBeUndefined();
    expect(deviceName('  ')).toBeUndefined();
  });
});
