import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageId } from './message-id.js';
import { orderedMessages } from './message-order.js';
import { messagesOf, seqOf, type Message } from './schema.js';

function message(id: string, createdAt: number): Message {
  return { id, author: 'u', kind: 'text', text: id, createdAt };
}

describe('orderedMessages', () => {
  it('orders sequenced messages by number, whatever their clocks say', () => {
    const doc = new Y.Doc();
    messagesOf(doc).set('b', message('b', 1000));
    messagesOf(doc).set('a', message('a', 5000));
    seqOf(doc).set('a', 1);
    seqOf(doc).set('b', 2);
    expect(orderedMessages(doc).map((m) => m.message.id)).toEqual(['a', 'b']);
  });

  it('orders pending messages whose stored time is not a number as time 0, the same on every replica (issue 20)', () => {
    const doc = new Y.Doc();
    messagesOf(doc).set('c', message('c', 100));
    messagesOf(doc).set('b', { ...message('b', 0), createdAt: 'yesterday' as unknown as number });
    messagesOf(doc).set('a', message('a', Number.NaN));
    expect(orderedMessages(doc).map((m) => m.message.id)).toEqual(['a', 'b', 'c']);
  });

  it('puts pending messages after delivered ones, by clock then id', () => {
    const doc = new Y.Doc();
    messagesOf(doc).set('late', message('late', 9000));
    messagesOf(doc).set('y', message('y', 100));
    messagesOf(doc).set('x', message('x', 100));
    messagesOf(doc).set('done', message('done', 99_999));
    seqOf(doc).set('done', 1);
    const ordered = orderedMessages(doc);
    expect(ordered.map((m) => m.message.id)).toEqual(['done', 'x', 'y', 'late']);
    expect(ordered.map((m) => m.state)).toEqual(['delivered', 'pending', 'pending', 'pending']);
  });

  it('gives the same order on two replicas that merged in opposite orders', () => {
    const [left, right] = [new Y.Doc(), new Y.Doc()];
    messagesOf(left).set('l', message('l', 500));
    messagesOf(right).set('r', message('r', 500));
    Y.applyUpdate(left, Y.encodeStateAsUpdate(right));
    Y.applyUpdate(right, Y.encodeStateAsUpdate(left));
    expect(orderedMessages(left).map((m) => m.message.id)).toEqual(orderedMessages(right).map((m) => m.message.id));
  });
});

describe('newMessageId', () => {
  it('strictly increases within one device, even in the same millisecond', () => {
    const ids = Array.from({ length: 50 }, () => newMessageId(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
