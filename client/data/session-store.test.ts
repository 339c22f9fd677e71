import { describe, expect, it } from 'vitest';
import { PendingIndex } from './pending-index.js';
import { memoryStorage } from '../testing/memory-storage.js';
import { SessionStore } from './session-store.js';

describe('SessionStore', () => {
  it('remembers and forgets the last person', () => {
    const store = new SessionStore(memoryStorage());
    expect(store.lastMe()).toBeNull();
    store.remember({ id: 'u1', name: 'Ann', email: 'ann@example.com' });
    expect(store.lastMe()).toEqual({ id: 'u1', name: 'Ann', email: 'ann@example.com' });
    store.forget();
    expect(store.lastMe()).toBeNull();
  });

  it('treats damaged stored values as nobody', () => {
    const storage = memoryStorage();
    const store = new SessionStore(storage);
    storage.setItem(SessionStore.key, '{not json');
    expect(store.lastMe()).toBeNull();
    storage.setItem(SessionStore.key, JSON.stringify({ id: 1 }));
    expect(store.lastMe()).toBeNull();
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
