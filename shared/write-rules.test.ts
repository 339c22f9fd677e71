import { describe, expect, it } from 'vitest';
import { newMessageId } from './message-id.js';
import { reactionKey, type Message } from './schema.js';
import { checkEntryChange, isKnownRoot, type EntryChange } from './write-rules.js';

const me = 'alice';
const set = (root: string, key: string, value: unknown, previous: unknown = undefined, seen: unknown = undefined): EntryChange => ({
  kind: 'set',
  root,
  key,
  value,
  previous: previous === undefined ? null : { value: previous },
  seen: seen === undefined ? null : { value: seen },
});
const remove = (root: string, key: string, previous: unknown = undefined): EntryChange => ({
  kind: 'remove',
  root,
  key,
  previous: previous === undefined ? null : { value: previous },
});
const conv = (change: EntryChange) => checkEntryChange('conv', change, me)?.rule ?? null;

describe('checkEntryChange in conversations', () => {
  it('dispatches messages to the message rules', () => {
    const message: Message = { id: newMessageId(), author: me, kind: 'text', text: 'hi', createdAt: 1_700_000_000_000 };
    expect(conv(set('messages', message.id, message))).toBeNull();
    expect(conv(set('messages', message.id, { ...message, author: 'bob' }))).toBe('forged-author');
    expect(conv(remove('messages', message.id, message))).toBeNull();
    expect(conv(remove('messages', message.id, { ...message, author: 'bob' }))).toBe('not-your-message');
  });

  it('keeps seq and meta for the server and refuses unknown roots', () => {
    expect(conv(set('seq', newMessageId(), 1))).toBe('server-only');
    expect(conv(remove('seq', newMessageId(), 1))).toBe('server-only');
    expect(conv(set('meta', 'title', 'x'))).toBe('server-only');
    expect(conv(set('evil', 'x', 1))).toBe('unknown-root');
    expect(isKnownRoot('conv', 'messages')).toBe(true);
    expect(isKnownRoot('conv', 'conversations')).toBe(false);
  });

  it('lets a member write only its own read marker, a non-negative integer that does not go below what it replaced', () => {
    expect(conv(set('reads', me, 3))).toBeNull();
    expect(conv(set('reads', 'bob', 3))).toBe('not-your-key');
    expect(conv(remove('reads', 'bob', 3))).toBe('not-your-key');
    expect(conv(set('reads', me, -1))).toBe('bad-read-marker');
    expect(conv(set('reads', me, 1.5))).toBe('bad-read-marker');
    expect(conv(set('reads', me, '3'))).toBe('bad-read-marker');
    expect(conv(set('reads', me, 2, 5, 5))).toBe('read-marker-lowered');
    // Another tab wrote 5 meanwhile; this one replaced the 1 it saw.
    expect(conv(set('reads', me, 2, 5, 1))).toBeNull();
  });

  it('lets a member add and remove only its own reactions', () => {
    const id = newMessageId();
    expect(conv(set('reactions', reactionKey(id, '👍🏽', me), true))).toBeNull();
    expect(conv(remove('reactions', reactionKey(id, '👍', me), true))).toBeNull();
    expect(conv(set('reactions', reactionKey(id, '👍', 'bob'), true))).toBe('not-your-key');
    expect(conv(remove('reactions', reactionKey(id, '👍', 'bob'), true))).toBe('not-your-key');
    expect(conv(set('reactions', reactionKey(id, '👍', me), 'yes'))).toBe('bad-reaction');
    expect(conv(set('reactions', `${id} 👍`, true))).toBe('bad-reaction');
    expect(conv(set('reactions', reactionKey('nope', '👍', me), true))).toBe('bad-reaction');
    expect(conv(set('reactions', reactionKey(id, 'x'.repeat(33), me), true))).toBe('bad-reaction');
  });
});

describe('checkEntryChange in user documents', () => {
  it('leaves them to the server', () => {
    expect(checkEntryChange('user', set('profile', 'name', 'x'), me)?.rule).toBe('server-only');
    expect(checkEntryChange('user', set('messages', 'x', 1), me)?.rule).toBe('unknown-root');
  });
});
