import { describe, expect, it } from 'vitest';
import { cleanUser, frameMessage, helloMessage, PREVIEW_MAX_LENGTH } from './frame-messages.js';

const CHAT = 'https://chat.example';
const frame = { name: 'our frame window' };

describe('frameMessage', () => {
  it('accepts our frame, from the chat origin, in the current version', () => {
    expect(frameMessage({ origin: CHAT, source: frame, data: { v: 1, type: 'ready' } }, CHAT, frame)).toEqual({ v: 1, type: 'ready' });
    expect(frameMessage({ origin: CHAT, source: frame, data: { v: 1, type: 'unread', count: 3 } }, CHAT, frame)).toEqual({
      v: 1,
      type: 'unread',
      count: 3,
    });
  });

  it('ignores another origin, another window, and no frame yet', () => {
    const data = { v: 1, type: 'close' };
    expect(frameMessage({ origin: 'https://evil.example', source: frame, data }, CHAT, frame)).toBeNull();
    // A page on the chat origin (another tab, a popup) is not our frame.
    expect(frameMessage({ origin: CHAT, source: { name: 'other window' }, data }, CHAT, frame)).toBeNull();
    expect(frameMessage({ origin: CHAT, source: null, data }, CHAT, null)).toBeNull();
    expect(frameMessage({ origin: CHAT, source: undefined, data }, CHAT, undefined)).toBeNull();
  });

  it('ignores other versions, unknown types and malformed fields', () => {
    const check = (data: unknown) => frameMessage({ origin: CHAT, source: frame, data }, CHAT, frame);
    expect(check({ v: 2, type: 'ready' })).toBeNull();
    expect(check({ type: 'ready' })).toBeNull();
    expect(check('ready')).toBeNull();
    expect(check({ v: 1, type: 'eval', code: 'alert(1)' })).toBeNull();
    expect(check({ v: 1, type: 'unread', count: -1 })).toBeNull();
    expect(check({ v: 1, type: 'unread', count: '3' })).toBeNull();
    expect(check({ v: 1, type: 'message', preview: 42 })).toBeNull();
  });

  it('passes on known fields only, with the preview bounded', () => {
    const message = frameMessage(
      { origin: CHAT, source: frame, data: { v: 1, type: 'message', preview: 'x'.repeat(5000), extra: 'no' } },
      CHAT,
      frame,
    );
    expect(message).toEqual({ v: 1, type: 'message', preview: 'x'.repeat(PREVIEW_MAX_LENGTH) });
  });
});

describe('cleanUser', () => {
  it('keeps the id and the known string fields', () => {
    expect(cleanUser({ id: 'u1', name: 'Zoë', email: 'z@example.com', hash: 'ab', role: 'admin' })).toEqual({
      id: 'u1',
      name: 'Zoë',
      email: 'z@example.com',
      hash: 'ab',
    });
    expect(cleanUser({ id: 42 })).toEqual({ id: '42' });
  });

  it('refuses a user without a usable id', () => {
    expect(cleanUser(null)).toBeNull();
    expect(cleanUser({ name: 'No id' })).toBeNull();
    expect(cleanUser({ id: '  ' })).toBeNull();
    expect(cleanUser({ id: 'x'.repeat(201) })).toBeNull();
  });
});

describe('helloMessage', () => {
  it('names the site and only the overrides that are set', () => {
    expect(helloMessage('sabc', { locale: 'zh-CN', title: '', greeting: undefined })).toEqual({
      v: 1,
      type: 'hello',
      site: 'sabc',
      locale: 'zh-CN',
    });
  });
});
