/** Two people become friends the way people do (a request, then an accept) and get their direct conversation. */
import type { RunningServer } from '../server.js';
import { api } from './api-call.js';
import type { ServerAddress } from './server-address.js';
import type { TestUser } from './test-users.js';

/** Makes two people friends the way people do: a request, then an accept. */
export async function befriend(server: ServerAddress | RunningServer, a: TestUser, b: TestUser): Promise<void> {
  const request = await api<{ id: string }>(server, 'POST', '/api/friends/requests', {
    cookie: a.cookie,
    body: { email: b.email, note: 'hi' },
  });
  if (request.status !== 201) throw new Error(`friend request failed: ${request.status} ${JSON.stringify(request.body)}`);
  const accepted = await api(server, 'POST', `/api/friends/requests/${request.body.id}/accept`, { cookie: b.cookie });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}

/** Befriends two people and returns their direct conversation's id. */
export async function directConversation(server: ServerAddress | RunningServer, a: TestUser, b: TestUser): Promise<string> {
  await befriend(server, a, b);
  const created = await api<{ id: string }>(server, 'POST', '/api/conversations', {
    cookie: a.cookie,
    body: { kind: 'direct', email: b.email },
  });
  if (created.status !== 201) throw new Error(`conversation failed: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}
