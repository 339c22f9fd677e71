import { describe, expect, it } from 'vitest';
import { pushUnsupportedNote } from './push-availability.js';

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';
const IPAD_AS_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15';
const WEBKITGTK = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/60.5 Safari/605.1.15';

describe('pushUnsupportedNote', () => {
  it('tells iPhone and iPad people in a browser tab to add the app to the Home Screen', () => {
    expect(pushUnsupportedNote({ userAgent: IPHONE, maxTouchPoints: 5, standalone: false })).toMatch(/Add to Home Screen/);
    expect(pushUnsupportedNote({ userAgent: IPAD_AS_MAC, maxTouchPoints: 5, standalone: false })).toMatch(/Add to Home Screen/);
  });

  it('says the browser cannot, where installing would not help', () => {
    const cannot = 'This browser cannot show notifications when the app is closed.';
    expect(pushUnsupportedNote({ userAgent: IPHONE, maxTouchPoints: 5, standalone: true })).toBe(cannot);
    // A Mac with a mouse is a Mac, not an iPad.
    expect(pushUnsupportedNote({ userAgent: IPAD_AS_MAC, maxTouchPoints: 0, standalone: false })).toBe(cannot);
    expect(pushUnsupportedNote({ userAgent: WEBKITGTK, maxTouchPoints: 0, standalone: false })).toBe(cannot);
  });
});
