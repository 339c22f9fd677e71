import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readsOf, seqOf, type Message } from '../../../shared/schema.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { highestSequence, readReceipt, titleWithUnread, unreadCount } from './unread.js';

function write(doc: Y.Doc, author: string, seq?: number, extra: Partial<Message> = {}): string {
  const { id } = writeMessage(doc, author, 'x', extra);
  if (seq !== undefined) seqOf(doc).set(id, seq);
  return id;
}

describe('unreadCount', () => {
  it("counts others' sequenced messages after my read marker, not mine, pending or deleted ones", () => {
    const doc = new Y.Doc();
    write(doc, 'bob', 1);
    write(doc, 'me', 2);
    write(doc, 'bob', 3);
    write(doc, 'bob', 4, { deleted: true, text: '' });
    write(doc, 'bob', 5);
    write(doc, 'bob'); // pending: not known to be delivered yet
    expect(unreadCount(doc, 'me')).toBe(3);
    readsOf(doc).set('me', 3);
    expect(unreadCount(doc, 'me')).toBe(1);
    readsOf(doc).set('me', highestSequence(doc));
    expect(unreadCount(doc, 'me')).toBe(0);
  });
});

describe('readReceipt', () => {
  const messages = [
    { id: 'a', author: 'me', seq: 1 },
    { id: 'b', author: 'bob', seq: 2 },
    { id: 'c', author: 'me', seq: 3 },
    { id: 'd', author: 'me', seq: undefined },
  ];

  it('direct: on my newest message the other has read', () => {
    expect(readReceipt(messages, new Map([['bob', 2]]), 'me', 'direct')).toEqual({ messageId: 'a', readBy: 1 });
    expect(
      readReceipt(
        messages,
        new Map([
          ['bob', 3],
          ['me', 3],
        ]),
        'me',
        'direct',
      ),
    ).toEqual({ messageId: 'c', readBy: 1 });
    expect(readReceipt(messages, new Map([['me', 3]]), 'me', 'direct')).toBeNull();
  });

  it('group: on my newest delivered message, with how many others read it', () => {
    const reads = new Map([
      ['bob', 3],
      ['carol', 3],
      ['dan', 1],
      ['me', 3],
    ]);
    expect(readReceipt(messages, reads, 'me', 'group')).toEqual({ messageId: 'c', readBy: 2 });
    expect(readReceipt(messages, new Map([['dan', 1]]), 'me', 'group')).toBeNull();
  });
});

describe('titleWithUnread', () => {
  it('puts the total in front, and nothing when all is read', () => {
    expect(titleWithUnread(3, 'Happy Chat')).toBe('(3) Happy Chat');
    expect(titleWithUnread(0, 'Happy Chat')).toBe('Happy Chat');
    expect(titleWithUnread(250, 'Happy Chat')).toBe('(99+) Happy Chat');
  });
});
