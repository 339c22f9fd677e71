/**
 * Forwarding a picture (issue 15): the blob is shared with the target
 * conversation by reference, so its members may read it, but only by a
 * member of the target who may read the blob already. Anyone else is
 * refused and the target's members still cannot read it.
 */
import { describe, expect, it } from 'vitest';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { jpegLike } from '../testing/images.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer();

async function upload(user: TestUser, conversationId: string, bytes: Uint8Array): Promise<string> {
  const response = await fetch(`${test.server.url}/api/conversations/${conversationId}/pictures`, {
    method: 'POST',
    headers: { cookie: user.cookie, origin: test.server.url, 'content-type': 'image/jpeg' },
    body: Buffer.from(bytes),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { blobId: string }).blobId;
}

const forward = (user: TestUser, conversationId: string, blobId: unknown) =>
  api<{ blobId?: string; error?: string }>(test.server, 'POST', `/api/conversations/${conversationId}/forwarded-blobs`, {
    cookie: user.cookie,
    body: { blobId },
  });

const readStatus = async (user: TestUser, blobId: string) =>
  (await fetch(`${test.server.url}/api/blobs/${blobId}`, { headers: { cookie: user.cookie } })).status;

describe('forwarded pictures', () => {
  it('become readable by the members of the conversation they are forwarded to', async () => {
    const [ada, bob, cy] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
    ];
    const withBob = await directConversation(test.server, ada, bob);
    const withCy = await directConversation(test.server, ada, cy);
    const blobId = await upload(bob, withBob, jpegLike(64, 48));
    expect(await readStatus(cy, blobId)).toBe(404);
    // Ada did not upload it; she reads it as a member of the conversation it was sent to.
    const forwarded = await forward(ada, withCy, blobId);
    expect(forwarded).toMatchObject({ status: 201, body: { blobId } });
    expect(await readStatus(cy, blobId)).toBe(200);
  });

  it('are refused to someone who may not read the picture, and to someone outside the target', async () => {
    const [ada, bob, cy, eve] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
      await createUser(test.server, 'Eve'),
    ];
    const adaBob = await directConversation(test.server, ada, bob);
    const cyEve = await directConversation(test.server, cy, eve);
    const adaCy = await directConversation(test.server, ada, cy);
    const blobId = await upload(ada, adaBob, jpegLike(80, 60));
    // Eve learned the id (a content hash) somehow: she may not read it, so she may not share it either.
    expect(await forward(eve, cyEve, blobId)).toMatchObject({ status: 404, body: { error: 'not_found' } });
    expect(await readStatus(cy, blobId)).toBe(404);
    // Bob may read it, but is no member of Ada and Cy's conversation.
    expect(await forward(bob, adaCy, blobId)).toMatchObject({ status: 404, body: { error: 'conversation_not_found' } });
    expect(await readStatus(cy, blobId)).toBe(404);
    expect((await forward(ada, adaCy, 42)).status).toBe(400);
    expect((await forward(ada, adaCy, 'no-such-blob')).status).toBe(404);
  });
});
