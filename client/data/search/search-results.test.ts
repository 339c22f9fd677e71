import { describe, expect, it } from 'vitest';
import type { ConversationSummary, FriendEntry } from '../../../shared/schema.js';
import { groupResults, matchingConversations, matchingPeople } from './search-results.js';

const device = (conversationId: string, id: string, createdAt: number) => ({ conversationId, id, author: 'a', text: id, createdAt });
const server = (conversationId: string, messageId: string, createdAt: number) => ({
  conversationId,
  messageId,
  author: 'a',
  text: messageId,
  createdAt,
  seq: 1,
});

describe('search results', () => {
  it('groups by conversation, newest first, each message once with the device copy winning', () => {
    const groups = groupResults(
      [device('c1', 'm1', 10), device('c2', 'm2', 30)],
      [server('c1', 'm1', 10), server('c1', 'm3', 40), server('c3', 'm4', 5)],
    );
    expect(groups.map((g) => [g.conversationId, g.messages.map((m) => `${m.messageId}${m.fromServer ? '*' : ''}`)])).toEqual([
      ['c1', ['m3*', 'm1']],
      ['c2', ['m2']],
      ['c3', ['m4*']],
    ]);
  });

  it('leaves out a server hit this device knows as deleted', () => {
    const groups = groupResults([], [server('c1', 'gone', 1), server('c1', 'kept', 2)], (_c, id) => id === 'gone');
    expect(groups[0]?.messages.map((m) => m.messageId)).toEqual(['kept']);
  });

  it('matches conversation titles as I see them, and people by name or my remark', () => {
    const remarks = new Map([['u2', '老王']]);
    const list: ConversationSummary[] = [
      { id: 'g', kind: 'group', title: '周末爬山群', createdAt: 1 },
      { id: 'd', kind: 'direct', title: 'Wang Wei', peerId: 'u2', createdAt: 1 },
    ];
    expect(matchingConversations(list, remarks, '爬山').map((c) => c.id)).toEqual(['g']);
    expect(matchingConversations(list, remarks, '老王').map((c) => c.id)).toEqual(['d']);
    const friends: FriendEntry[] = [{ id: 'u2', name: 'Wang Wei', since: 1, conversationId: 'd' }];
    expect(matchingPeople(friends, remarks, 'wan')).toHaveLength(1);
    expect(matchingPeople(friends, remarks, '老王')).toHaveLength(1);
    expect(matchingPeople(friends, remarks, 'li')).toHaveLength(0);
  });
});
