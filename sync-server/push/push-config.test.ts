import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { DEFAULT_PUSH_SERVICE_HOSTS, endpointAllowed } from './push-config.js';

describe('push configuration', () => {
  it('allows the browsers’ push services over https only', () => {
    expect(endpointAllowed('https://fcm.googleapis.com/fcm/send/abc', DEFAULT_PUSH_SERVICE_HOSTS)).toBe(true);
    expect(endpointAllowed('https://web.push.apple.com/QAbc', DEFAULT_PUSH_SERVICE_HOSTS)).toBe(true);
    expect(endpointAllowed('http://fcm.googleapis.com/fcm/send/abc', DEFAULT_PUSH_SERVICE_HOSTS)).toBe(false);
  });

  it('refuses look-alike hosts and internal addresses', () => {
    expect(endpointAllowed('https://fcm.googleapis.com.evil.example/x', DEFAULT_PUSH_SERVICE_HOSTS)).toBe(false);
    expect(endpointAllowed('https://evilpush.apple.com.example/x', DEFAULT_PUSH_SERVICE_HOSTS)).toBe(false);
    expect(endpointAllowed('https://127.0.0.1/x', DEFAULT_PUSH_SERVICE_HOSTS)).toBe(false);
    expect(endpointAllowed('not a url', DEFAULT_PUSH_SERVICE_HOSTS)).toBe(false);
  });

  it('allows an exact origin when configured (a private push service)', () => {
    expect(endpointAllowed('http://127.0.0.1:4000/push/a', ['http://127.0.0.1:4000'])).toBe(true);
    expect(endpointAllowed('http://127.0.0.1:4001/push/a', ['http://127.0.0.1:4000'])).toBe(false);
  });

  it('reads the environment, and wants both VAPID keys or neither', () => {
    const config = loadConfig({ PUSH_THROTTLE_MS: '2500', PUSH_SERVICE_HOSTS: 'push.example.org, https://10.0.0.5:8443' });
    expect(config.push.throttleMs).toBe(2500);
    expect(config.push.serviceHosts).toEqual(['push.example.org', 'https://10.0.0.5:8443']);
    expect(() => loadConfig({ VAPID_PUBLIC_KEY: 'abc' })).toThrow(/VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY/);
    expect(() => loadConfig({ PUSH_THROTTLE_MS: '-1' })).toThrow(/PUSH_THROTTLE_MS/);
  });
});
