import { afterEach, describe, expect, it, vi } from 'vitest';
import { notificationPermission, PERMISSION_KEPT_MS, requestNotificationPermission } from './push-client.js';

/** A stand-in for the browser's Notification API that counts reads of `permission` (each a browser round trip in Chromium). */
function fakeNotification(initial: NotificationPermission, answer: NotificationPermission) {
  const state = { permission: initial, reads: 0 };
  vi.stubGlobal('Notification', {
    get permission() {
      state.reads++;
      return state.permission;
    },
    requestPermission: async () => (state.permission = answer),
  });
  return state;
}

describe('notificationPermission', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the browser once per kept period, afresh after it and after a request', async () => {
    const state = fakeNotification('default', 'granted');
    // A request first: whatever an earlier test left read is forgotten.
    await requestNotificationPermission();
    state.permission = 'default';
    const start = 1_000_000;
    expect(notificationPermission(start)).toBe('default');
    for (let i = 1; i < 50; i++) expect(notificationPermission(start + i)).toBe('default');
    expect(state.reads).toBe(1);
    // Changed in the browser's settings: seen once the kept period is over.
    state.permission = 'denied';
    expect(notificationPermission(start + PERMISSION_KEPT_MS - 1)).toBe('default');
    expect(notificationPermission(start + PERMISSION_KEPT_MS)).toBe('denied');
    expect(state.reads).toBe(2);
    // Answered here: the next read is the answer, not the kept value.
    state.permission = 'default';
    expect(notificationPermission(start + PERMISSION_KEPT_MS + 1)).toBe('denied');
    expect(await requestNotificationPermission()).toBe('granted');
    expect(notificationPermission(start + PERMISSION_KEPT_MS + 2)).toBe('granted');
    expect(state.reads).toBe(3);
  });

  it('is undefined without the Notification API', () => {
    vi.stubGlobal('Notification', undefined);
    expect(notificationPermission()).toBeUndefined();
  });
});
