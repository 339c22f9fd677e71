import { describe, expect, it } from 'vitest';
import { newMessageId } from './message-id.js';
import { reactionKey, type Message } from './schema.js';
import { checkEntryChange, isKnownRoot, type EntryChange, isServerOnlyRoot } from './write-rules.js';

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

  it('keeps `numbers` (the append-only numbers, shared/seq-index.ts) for the server', () => {
    expect(isKnownRoot('conv', 'numbers')).toBe(true);
    expect(isServerOnlyRoot('conv', 'numbers')).toBe(true);
    expect(isServerOnlyRoot('conv', 'messages')).toBe(false);
    expect(isServerOnlyRoot('user', 'conversations')).toBe(true);
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

describe('checkEntryChange on pins', () => {
  const id = newMessageId();
  const at = 1_700_000_000_000;

  it('lets a member pin in its own name and unpin any pin', () => {
    expect(conv(set('pins', id, { by: me, at }))).toBeNull();
    // Re-pinning someone else's pin makes it mine.
    expect(conv(set('pins', id, { by: me, at }, { by: 'bob', at }, { by: 'bob', at }))).toBeNull();
    expect(conv(remove('pins', id, { by: 'bob', at }))).toBeNull();
  });

  it("refuses a pin in another member's name", () => {
    expect(conv(set('pins', id, { by: 'bob', at }))).toBe('forged-pinner');
  });

  it('refuses malformed pins: a key that is no message id, extra or missing fields, a bad time', () => {
    expect(conv(set('pins', 'not-a-message', { by: me, at }))).toBe('bad-pin');
    expect(conv(remove('pins', 'not-a-message', { by: me, at }))).toBe('bad-pin');
    expect(conv(set('pins', id, true))).toBe('bad-pin');
    expect(conv(set('pins', id, [me, at]))).toBe('bad-pin');
    expect(conv(set('pins', id, { by: me }))).toBe('bad-pin');
    expect(conv(set('pins', id, { by: me, at, text: 'injected' }))).toBe('bad-pin');
    expect(conv(set('pins', id, { by: me, at: 1.5 }))).toBe('bad-pin');
    expect(conv(set('pins', id, { by: me, at: Number.NaN }))).toBe('bad-pin');
  });
});

describe('checkEntryChange in user documents', () => {
  it('leaves them to the server', () => {
    expect(checkEntryChange('user', set('profile', 'name', 'x'), me)?.rule).toBe('server-only');
    expect(checkEntryChange('user', set('messages', 'x', 1), me)?.rule).toBe('unknown-root');
  });
});

describe("listState: the owner's own choices in their user document", () => {
  const user = (change: EntryChange) => checkEntryChange('user', change, me)?.rule ?? null;
  const at = 1_700_000_000_000;

  it('takes a pin, an archive, an unread mark and their removal', () => {
    expect(isServerOnlyRoot('user', 'listState')).toBe(false);
    expect(user(set('listState', 'conv1', { pinnedAt: at }))).toBeNull();
    expect(user(set('listState', 'conv1', { archived: true, unread: true }))).toBeNull();
    expect(user(remove('listState', 'conv1', { archived: true }))).toBeNull();
  });

  it('refuses anything else there', () => {
    expect(user(set('listState', 'not an id!', { archived: true }))).toBe('bad-list-state');
    expect(user(remove('listState', '../x', { archived: true }))).toBe('bad-list-state');
    expect(user(set('listState', 'conv1', {}))).toBe('bad-list-state');
    expect(user(set('listState', 'conv1', true))).toBe('bad-list-state');
    expect(user(set('listState', 'conv1', [at]))).toBe('bad-list-state');
    expect(user(set('listState', 'conv1', { archived: false }))).toBe('bad-list-state');
    expect(user(set('listState', 'conv1', { unread: 1 }))).toBe('bad-list-state');
    expect(user(set('listState', 'conv1', { pinnedAt: 1.5 }))).toBe('bad-list-state');
    expect(user(set('listState', 'conv1', { pinnedAt: Number.MAX_SAFE_INTEGER }))).toBe('bad-list-state');
    expect(user(set('listState', 'conv1', { pinnedAt: at, archived: true }))).toBe('bad-list-state');
    expect(user(set('listState', 'conv1', { archived: true, preview: 'forged head' }))).toBe('bad-list-state');
  });

  it('leaves every other root of the user document to the server', () => {
    expect(user(set('heads', 'conv1', { seq: 9 }))).toBe('server-only');
    expect(user(set('conversations', 'conv1', { id: 'conv1' }))).toBe('server-only');
  });
});
