import { describe, expect, it } from 'vitest';
import { memoryStorage } from '../../testing/memory-storage.js';
import type { Recovery } from './refusal-recovery.js';
import { SetAsideStore } from './set-aside-store.js';

const recovery: Recovery = {
  phase: 'dropping',
  reason: 'refused: author',
  messages: [{ message: { id: 'm1', author: 'ann', kind: 'text', text: 'hi', createdAt: 1 }, retry: true, problem: null }],
};

describe('SetAsideStore', () => {
  it('survives a reload, per person', () => {
    const storage = memoryStorage();
    new SetAsideStore('ann', storage).set('c1', recovery);
    expect(new SetAsideStore('ann', storage).get('c1')).toEqual(recovery);
    expect(new SetAsideStore('ann', storage).conversationIds()).toEqual(['c1']);
    expect(new SetAsideStore('bob', storage).conversationIds()).toEqual([]);
  });

  it('forgets a conversation with nothing left, and everything on clear', () => {
    const storage = memoryStorage();
    const store = new SetAsideStore('ann', storage);
    store.set('c1', recovery);
    store.set('c2', recovery);
    store.set('c1', undefined);
    expect(new SetAsideStore('ann', storage).conversationIds()).toEqual(['c2']);
    store.clear();
    expect(storage.data.size).toBe(0);
  });

  it('ignores damaged entries instead of failing to start', () => {
    const storage = memoryStorage();
    storage.setItem('happy-chat:set-aside:ann', JSON.stringify({ c1: recovery, c2: { phase: 'weird' }, 'bad/id': recovery }));
    expect(new SetAsideStore('ann', storage).conversationIds()).toEqual(['c1']);
    storage.setItem('happy-chat:set-aside:ann', '{not json');
    expect(new SetAsideStore('ann', storage).conversationIds()).toEqual([]);
  });
});
