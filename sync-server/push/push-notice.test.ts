/** What a push says for each kind of message: a file by its name, a voice message in the device's language (issue 15). */
import { describe, expect, it } from 'vitest';
import { type Notice, payloadOf } from './push-notice.js';

const base: Notice = { conversationId: 'c1', author: 'Ada', groupTitle: null, kind: 'text', text: 'hi', count: 1 };

describe('payloadOf', () => {
  it('marks a picture, a file (by its name) and a voice message, and says them in the device language', () => {
    expect(payloadOf({ ...base, kind: 'image', text: '' }, true, 1, 'en').body).toBe('📷 Picture');
    expect(payloadOf({ ...base, kind: 'file', text: 'report.pdf' }, true, 1, 'en').body).toBe('📎 report.pdf');
    expect(payloadOf({ ...base, kind: 'voice', text: '' }, true, 1, 'en').body).toBe('🎤 Voice message');
    expect(payloadOf({ ...base, kind: 'voice', text: '' }, true, 1, 'zh-CN').body).toBe('🎤 语音消息');
  });

  it('hides a file name like any content when content is hidden', () => {
    expect(payloadOf({ ...base, kind: 'file', text: 'salaries.xlsx' }, false, 1, 'en').body).not.toContain('salaries');
  });
});
