import { describe, expect, it } from 'vitest';
import { ApiClient, type Fetch } from './api-client.js';
import { SocialClient } from './social-client.js';

function recording(): { client: SocialClient; calls: Array<{ url: string; method?: string; body?: unknown }> } {
  const calls: Array<{ url: string; method?: string; body?: unknown }> = [];
  const fetch: Fetch = async (url, init) => {
    calls.push({ url, method: init.method, body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body });
    return new Response(null, { status: 204 });
  };
  return { client: new SocialClient(new ApiClient(fetch)), calls };
}

describe('SocialClient', () => {
  it('calls the documented routes with their bodies', async () => {
    const { client, calls } = recording();
    await client.searchPeople('Ann Lee');
    await client.sendFriendRequest({ userId: 'u1' }, 'hi');
    await client.acceptRequest('r1');
    await client.setRemark('u1', 'Boss');
    await client.createGroup('Trip', ['u1']);
    await client.setRole('g1', 'u1', 'admin');
    await client.createInvite('g1', 24, 5);
    await client.joinInvite('code');
    expect(calls).toEqual([
      { url: '/api/users/search?q=Ann%20Lee', method: 'GET', body: undefined },
      { url: '/api/friends/requests', method: 'POST', body: { userId: 'u1', note: 'hi' } },
      { url: '/api/friends/requests/r1/accept', method: 'POST', body: undefined },
      { url: '/api/friends/u1/remark', method: 'PUT', body: { remark: 'Boss' } },
      { url: '/api/conversations', method: 'POST', body: { kind: 'group', title: 'Trip', memberIds: ['u1'] } },
      { url: '/api/conversations/g1/members/u1/role', method: 'PUT', body: { role: 'admin' } },
      { url: '/api/conversations/g1/invites', method: 'POST', body: { expiresInHours: 24, maxUses: 5 } },
      { url: '/api/invites/code/join', method: 'POST', body: undefined },
    ]);
  });

  it('escapes ids in paths', async () => {
    const { client, calls } = recording();
    await client.removeMember('g/1', '../u');
    expect(calls[0]?.url).toBe('/api/conversations/g%2F1/members/..%2Fu');
  });
});
