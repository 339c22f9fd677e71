import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE_TEXT_MAX_LENGTH } from '../../../shared/limits.js';
import { isValidMessageId } from '../../../shared/message-id.js';
import { messagesOf, seqOf } from '../../../shared/schema.js';
import { composeText, pendingCountOf, sendTextMessage } from './new-messages.js';

describe('composeText', () => {
  it('trims and refuses empty text', () => {
    expect(composeText('  hi \n')).toEqual({ ok: true, text: 'hi' });
    expect(composeText(' \n\t ')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('keeps inner newlines, emoji and Chinese text', () => {
    expect(composeText('你好 👋\nsecond line')).toEqual({ ok: true, text: '你好 👋\nsecond line' });
  });

  it('refuses text over the limit, counted after trimming', () => {
    expect(composeText('x'.repeat(MESSAGE_TEXT_MAX_LENGTH)).ok).toBe(true);
    expect(composeText(` ${'x'.repeat(MESSAGE_TEXT_MAX_LENGTH)} `).ok).toBe(true);
    expect(composeText('x'.repeat(MESSAGE_TEXT_MAX_LENGTH + 1))).toMatchObject({ ok: false, reason: 'too_long' });
  });
});

describe('sendTextMessage', () => {
  it('writes one message under the same id as its key', () => {
    const doc = new Y.Doc();
    const result = sendTextMessage(doc, 'alice', ' hello ', 1_700_000_000_000);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { message } = result;
    expect(isValidMessageId(message.id)).toBe(true);
    expect(messagesOf(doc).get(message.id)).toEqual({
      id: message.id,
      author: 'alice',
      kind: 'text',
      text: 'hello',
      createdAt: 1_700_000_000_000,
    });
    expect(messagesOf(doc).size).toBe(1);
    doc.destroy();
  });

  it('writes nothing for empty text', () => {
    const doc = new Y.Doc();
    expect(sendTextMessage(doc, 'alice', '   ').ok).toBe(false);
    expect(messagesOf(doc).size).toBe(0);
    doc.destroy();
  });
});

describe('pendingCountOf', () => {
  it('counts my messages without a sequence number, not other people’s', () => {
    const doc = new Y.Doc();
    const mine1 = sendTextMessage(doc, 'alice', 'one');
    sendTextMessage(doc, 'alice', 'two');
    sendTextMessage(doc, 'bob', 'from bob');
    expect(pendingCountOf(doc, 'alice')).toBe(2);
    expect(pendingCountOf(doc, 'bob')).toBe(1);
    if (mine1.ok) seqOf(doc).set(mine1.message.id, 1);
    expect(pendingCountOf(doc, 'alice')).toBe(1);
    doc.destroy();
  });
});
