import { describe, expect, it } from 'vitest';
import {
  MESSAGE_ATTACHMENTS_MAX,
  MESSAGE_TEXT_MAX_LENGTH,
  MESSAGE_TIME_MAX_MS,
  MESSAGE_TIME_MIN_MS,
  VOICE_PEAK_MAX,
  VOICE_PEAKS_MAX,
} from './limits.js';
import { newMessageId } from './message-id.js';
import { checkMessage, checkMessageRemoval } from './message-rules.js';
import type { Attachment, Message } from './schema.js';

const me = 'alice';
function message(overrides: Partial<Message> & Record<string, unknown> = {}): Message {
  return { id: newMessageId(), author: me, kind: 'text', text: 'hi', createdAt: 1_700_000_000_000, ...overrides };
}
const ruleOf = (value: unknown, previous?: unknown, key = (value as Message | null)?.id ?? 'k') =>
  checkMessage(key, value, me, previous)?.rule ?? null;

describe('checkMessage', () => {
  it('accepts a message, an edit and a delete by its author', () => {
    const m = message({
      replyTo: newMessageId(),
      attachments: [{ blobId: 'a'.repeat(64), mime: 'image/jpeg', width: 640, height: 480, name: 'cat.jpg' }],
    });
    expect(ruleOf(m)).toBeNull();
    expect(ruleOf({ ...m, text: 'edited', editedAt: 1_700_000_060_000 }, m)).toBeNull();
    expect(ruleOf({ ...m, text: '', attachments: [], deleted: true }, m)).toBeNull();
    expect(ruleOf(message({ kind: 'image', text: '' }))).toBeNull();
  });

  it('accepts a forwarded copy, marked `forwarded: true` and nothing else', () => {
    expect(ruleOf(message({ forwarded: true }))).toBeNull();
    expect(ruleOf({ ...message(), forwarded: false })).toBe('bad-message');
    expect(ruleOf({ ...message(), forwarded: 'Ada' })).toBe('bad-message');
  });

  it('binds the key, the id and the author', () => {
    expect(ruleOf(message(), undefined, newMessageId())).toBe('message-id');
    expect(ruleOf(message({ id: 'not an id' }))).toBe('message-id');
    expect(ruleOf(message({ author: 'bob' }))).toBe('forged-author');
    expect(ruleOf(message(), message({ author: 'bob' }))).toBe('not-your-message');
    expect(ruleOf(message(), 'not a message')).toBe('not-your-message');
  });

  it('refuses system messages, unknown kinds and fields, and wrong types', () => {
    expect(ruleOf(message({ kind: 'system' }))).toBe('system-kind');
    expect(ruleOf(message({ kind: 'html' as Message['kind'] }))).toBe('bad-message');
    expect(ruleOf(message({ script: 'alert(1)' }))).toBe('bad-message');
    expect(ruleOf(message({ text: 5 as unknown as string }))).toBe('bad-message');
    expect(ruleOf(message({ replyTo: '../etc' }))).toBe('bad-message');
    expect(ruleOf(message({ deleted: 'yes' as unknown as boolean }))).toBe('bad-message');
    expect(ruleOf([message()])).toBe('bad-message');
    expect(ruleOf(null)).toBe('bad-message');
  });

  it('bounds createdAt and editedAt to whole milliseconds from 2000 to 2100 (issue 20)', () => {
    const [min, max] = [MESSAGE_TIME_MIN_MS, MESSAGE_TIME_MAX_MS];
    expect(ruleOf(message({ createdAt: min }))).toBeNull();
    expect(ruleOf(message({ createdAt: max - 1 }))).toBeNull();
    expect(ruleOf(message({ createdAt: 1e300 }))).toBe('bad-time');
    for (const createdAt of [min - 1, max, -1, 0.5 + 1_700_000_000_000, Number.NaN, Infinity, '1700000000000', null, undefined]) {
      expect(ruleOf(message({ createdAt: createdAt as number })), String(createdAt)).toBe('bad-time');
    }
    expect(ruleOf(message({ editedAt: max - 1 }))).toBeNull();
    for (const editedAt of [1e300, Infinity, min - 1, '2']) {
      expect(ruleOf(message({ editedAt: editedAt as number })), String(editedAt)).toBe('bad-time');
    }
  });

  it('bounds the text at MESSAGE_TEXT_MAX_LENGTH characters', () => {
    expect(ruleOf(message({ text: 'x'.repeat(MESSAGE_TEXT_MAX_LENGTH) }))).toBeNull();
    expect(ruleOf(message({ text: 'x'.repeat(MESSAGE_TEXT_MAX_LENGTH + 1) }))).toBe('message-too-long');
  });

  it('checks attachments', () => {
    const ok = { blobId: 'abc', mime: 'image/png' };
    expect(ruleOf(message({ attachments: Array(MESSAGE_ATTACHMENTS_MAX + 1).fill(ok) }))).toBe('bad-attachment');
    expect(ruleOf(message({ attachments: [{ ...ok, blobId: '../../etc/passwd' }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ attachments: [{ ...ok, mime: 'text/html; charset=x' }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ attachments: [{ ...ok, width: -1 }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ attachments: [{ ...ok, name: 'n'.repeat(300) }] }))).toBe('bad-attachment');
    const withUrl = { ...ok, url: 'javascript:alert(1)' } as Attachment;
    expect(ruleOf(message({ attachments: [withUrl] }))).toBe('bad-attachment');
    expect(ruleOf(message({ attachments: 'x' as unknown as [] }))).toBe('bad-attachment');
  });

  it('takes a file with its name and size, and a voice message with its length and a bounded waveform', () => {
    const file = { blobId: 'f'.repeat(64), mime: 'application/pdf', name: 'report.pdf', size: 12_345 };
    expect(ruleOf(message({ kind: 'file', text: '', attachments: [file] }))).toBeNull();
    expect(ruleOf(message({ kind: 'file', text: '', attachments: [{ ...file, name: undefined }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'file', text: '', attachments: [{ ...file, name: '  ' }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'file', text: '', attachments: [{ ...file, size: undefined }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'file', text: '', attachments: [{ ...file, size: -1 }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'file', text: '', attachments: [{ ...file, size: 2 ** 40 }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'file', text: '', attachments: [file, file] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'file', text: '', attachments: [] }))).toBe('bad-attachment');

    const voice = { blobId: 'v'.repeat(64), mime: 'audio/webm', size: 9_000, durationMs: 4_200, peaks: [0, 50, VOICE_PEAK_MAX] };
    expect(ruleOf(message({ kind: 'voice', text: '', attachments: [voice] }))).toBeNull();
    expect(ruleOf(message({ kind: 'voice', text: '', attachments: [{ ...voice, mime: 'text/html' }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'voice', text: '', attachments: [{ ...voice, durationMs: undefined }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'voice', text: '', attachments: [{ ...voice, durationMs: 24 * 3600_000 }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'voice', text: '', attachments: [{ ...voice, peaks: Array(VOICE_PEAKS_MAX + 1).fill(1) }] }))).toBe(
      'bad-attachment',
    );
    expect(ruleOf(message({ kind: 'voice', text: '', attachments: [{ ...voice, peaks: [VOICE_PEAK_MAX + 1] }] }))).toBe('bad-attachment');
    expect(ruleOf(message({ kind: 'voice', text: '', attachments: [{ ...voice, peaks: ['<b>'] as unknown as number[] }] }))).toBe(
      'bad-attachment',
    );
    // Deleting one removes the attachment like any other delete.
    const sent = message({ kind: 'voice', text: '', attachments: [voice] });
    expect(ruleOf({ ...sent, attachments: [], deleted: true }, sent)).toBeNull();
  });

  it('makes a delete remove the content', () => {
    expect(ruleOf(message({ deleted: true, text: 'still here' }))).toBe('bad-message');
    expect(ruleOf(message({ deleted: true, text: '', attachments: [{ blobId: 'b', mime: 'image/png' }] }))).toBe('bad-message');
  });
});

describe('checkMessageRemoval', () => {
  it('lets only the author remove a message', () => {
    const id = newMessageId();
    expect(checkMessageRemoval(id, message({ id }), me)).toBeNull();
    expect(checkMessageRemoval(id, undefined, me)).toBeNull();
    expect(checkMessageRemoval(id, message({ id, author: 'bob' }), me)?.rule).toBe('not-your-message');
    expect(checkMessageRemoval('x', undefined, me)?.rule).toBe('message-id');
  });
});
