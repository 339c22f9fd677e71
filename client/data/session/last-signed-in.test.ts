import { describe, expect, it } from 'vitest';
import { PendingIndex } from '../messages/pending-index.js';
import { memoryStorage } from '../../testing/memory-storage.js';
import { LastSignedIn } from './last-signed-in.js';

describe('LastSignedIn', () => {
  it('remembers and forgets the last person', () => {
    const lastSignedIn = new LastSignedIn(memoryStorage());
    expect(lastSignedIn.lastMe()).toBeNull();
    lastSignedIn.remember({ id: 'u1', name: 'Ann', email: 'ann@example.com' });
    expect(lastSignedIn.lastMe()).toEqual({ id: 'u1', name: 'Ann', email: 'ann@example.com' });
    lastSignedIn.forget();
    expect(lastSignedIn.lastMe()).toBeNull();
  });

  it('treats damaged stored values as nobody', () => {
    const storage = memoryStorage();
    const lastSignedIn = new LastSignedIn(storage);
    storage.setItem(LastSignedIn.key, '{not json');
    expect(lastSignedIn.lastMe()).toBeNull();
    storage.setItem(LastSignedIn.key, JSON.stringify({ id: 1 }));
    expect(lastSignedIn.lastMe()).toBeNull();
  });
});

describe('PendingIndex', () => {
  it('keeps the conversations with pending messages across restarts', () => {
    const storage = memoryStorage();
    const index = new PendingIndex('u1', storage);
    index.set('c1', true);
    index.set('c2', true);
    index.set('c1', false);
    expect(new PendingIndex('u1', storage).conversationIds()).toEqual(['c2']);
    expect(new PendingIndex('u2', storage).conversationIds()).toEqual([]);
    index.clear();
    expect(new PendingIndex('u1', storage).conversationIds()).toEqual([]);
  });
});
