import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newMessageId } from '../../../shared/message-id.js';
import { messagesOf, reactionKey, reactionsOf, readsOf, seqOf, type Message } from '../../../shared/schema.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { deleteMessage, editMessage, markRead, toggleReaction } from './message-edits.js';

/** A plausible time (2023-11-14), within the message time rule. */
const T = 1_700_000_000_000;

function conversation(): { doc: Y.Doc; mine: Message; theirs: Message } {
  const doc = new Y.Doc();
  const mine = writeMessage(doc, 'me', 'hello', { createdAt: T + 1000 });
  const theirs = writeMessage(doc, 'bob', 'hi', { createdAt: T + 2000 });
  seqOf(doc).set(mine.id, 1);
  seqOf(doc).set(theirs.id, 2);
  return { doc, mine, theirs };
}

describe('editing and deleting', () => {
  it('edits my message and marks it edited', () => {
    const { doc, mine } = conversation();
    expect(editMessage(doc, 'me', mine.id, '  hello there ', T + 5000)).toEqual({ ok: true });
    expect(messagesOf(doc).get(mine.id)).toMatchObject({ text: 'hello there', editedAt: T + 5000, author: 'me' });
  });

  it("refuses to edit or delete another person's message, leaving it untouched", () => {
    const { doc, theirs } = conversation();
    expect(editMessage(doc, 'me', theirs.id, 'forged').ok).toBe(false);
    expect(deleteMessage(doc, 'me', theirs.id).ok).toBe(false);
    expect(messagesOf(doc).get(theirs.id)).toEqual(theirs);
  });

  it('refuses an empty text message and an edit of a deleted one', () => {
    const { doc, mine } = conversation();
    expect(editMessage(doc, 'me', mine.id, '   ').ok).toBe(false);
    deleteMessage(doc, 'me', mine.id);
    expect(editMessage(doc, 'me', mine.id, 'back').ok).toBe(false);
  });

  it('a delete keeps the entry but no text or attachments', () => {
    const doc = new Y.Doc();
    const picture: Message = {
      id: newMessageId(),
      author: 'me',
      kind: 'image',
      text: 'caption',
      createdAt: T,
      replyTo: newMessageId(),
      attachments: [{ blobId: 'abc', mime: 'image/webp', width: 10, height: 10 }],
    };
    messagesOf(doc).set(picture.id, picture);
    expect(deleteMessage(doc, 'me', picture.id)).toEqual({ ok: true });
    expect(messagesOf(doc).get(picture.id)).toEqual({ id: picture.id, author: 'me', kind: 'image', text: '', createdAt: T, deleted: true });
  });

  // Issue 20: a message stored before the time rule must stay editable and deletable by its author.
  it('edits and deletes my message whose stored time is outside the time rule', () => {
    const doc = new Y.Doc();
    const old = { id: newMessageId(T), author: 'me', kind: 'text', text: 'from before', createdAt: 1e300 } as Message;
    messagesOf(doc).set(old.id, old);
    expect(editMessage(doc, 'me', old.id, 'edited', T + 5000)).toEqual({ ok: true });
    expect(messagesOf(doc).get(old.id)).toMatchObject({ text: 'edited', createdAt: T + 5000, editedAt: T + 5000 });
    messagesOf(doc).set(old.id, old);
    expect(deleteMessage(doc, 'me', old.id, T + 6000)).toEqual({ ok: true });
    expect(messagesOf(doc).get(old.id)).toMatchObject({ createdAt: T + 6000, deleted: true });
  });
});

describe('reactions', () => {
  it('toggles my own reaction on and off', () => {
    const { doc, theirs } = conversation();
    const key = reactionKey(theirs.id, '👍', 'me');
    expect(toggleReaction(doc, 'me', theirs.id, '👍')).toEqual({ ok: true });
    expect(reactionsOf(doc).get(key)).toBe(true);
    expect(toggleReaction(doc, 'me', theirs.id, '👍')).toEqual({ ok: true });
    expect(reactionsOf(doc).has(key)).toBe(false);
  });

  it("leaves another person's reaction alone when I toggle the same emoji", () => {
    const { doc, theirs } = conversation();
    reactionsOf(doc).set(reactionKey(theirs.id, '❤️', 'bob'), true);
    toggleReaction(doc, 'me', theirs.id, '❤️');
    toggleReaction(doc, 'me', theirs.id, '❤️');
    expect([...reactionsOf(doc).keys()]).toEqual([reactionKey(theirs.id, '❤️', 'bob')]);
  });

  it('refuses an emoji the relay would refuse (whitespace)', () => {
    const { doc, theirs } = conversation();
    expect(toggleReaction(doc, 'me', theirs.id, 'a b').ok).toBe(false);
    expect(reactionsOf(doc).size).toBe(0);
  });
});

describe('read marker', () => {
  it('moves up to the newest sequenced message, never down', () => {
    const { doc } = conversation();
    expect(markRead(doc, 'me')).toBe(2);
    expect(readsOf(doc).get('me')).toBe(2);
    expect(markRead(doc, 'me')).toBeNull();
    readsOf(doc).set('me', 7); // another tab of mine read further (a later segment)
    expect(markRead(doc, 'me')).toBeNull();
    expect(readsOf(doc).get('me')).toBe(7);
  });

  it('moves only up to what was newest when I was seen reading (not what arrived since)', () => {
    const { doc } = conversation();
    expect(markRead(doc, 'me', 1)).toBe(1);
    expect(readsOf(doc).get('me')).toBe(1);
    expect(markRead(doc, 'me', 1)).toBeNull();
  });

  it('writes nothing while nothing is sequenced', () => {
    const doc = new Y.Doc();
    messagesOf(doc).set('x', { id: newMessageId(), author: 'me', kind: 'text', text: 'pending', createdAt: 1 });
    expect(markRead(doc, 'me')).toBeNull();
    expect(readsOf(doc).size).toBe(0);
  });
});
