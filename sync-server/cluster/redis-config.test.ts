import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';

describe('Redis settings', () => {
  it('are absent without REDIS_URL, so the server keeps everything in its own memory (npm start as always)', () => {
    expect(loadConfig({}).redis).toBeUndefined();
    expect(loadConfig({ REDIS_URL: '' }).redis).toBeUndefined();
  });

  it('take the prefix and timeouts from the environment, with defaults', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redis).toEqual({
      url: 'redis://127.0.0.1:6379',
      keyPrefix: 'happy-chat:',
      connectTimeoutMs: 2000,
      commandTimeoutMs: 1000,
      reconnectMaxDelayMs: 2000,
    });
    expect(loadConfig({ REDIS_URL: 'rediss://cache:6380/2', REDIS_PREFIX: 'blue:', REDIS_COMMAND_TIMEOUT_MS: '250' }).redis).toMatchObject({
      url: 'rediss://cache:6380/2',
      keyPrefix: 'blue:',
      commandTimeoutMs: 250,
    });
  });

  it('refuse a URL that is not redis:// or rediss://', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/REDIS_URL/);
  });
});
