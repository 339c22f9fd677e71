/** Pictures in conversations: checked by their bytes, stored once, served to members only. */
import { describe, expect, it } from 'vitest';
import { jpegLike, solidPng } from '../testing/images.js';
import { directConversation } from '../testing/direct-conversation.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer({ uploadMaxBytes: 200 * 1024 });

function send(user: TestUser, conversationId: string, bytes: Uint8Array, contentType = 'image/jpeg') {
  return fetch(`${test.server.url}/api/conversations/${conversationId}/pictures`, {
    method: 'POST',
    headers: { cookie: user.cookie, origin: test.server.url, 'content-type': contentType },
    body: Buffer.from(bytes),
  });
}

const fetchBlob = (user: TestUser | null, url: string) => fetch(test.server.url + url, { headers: user ? { cookie: user.cookie } : {} });

describe('pictures', () => {
  it('round-trips a JPEG to the members of the conversation, and to nobody else', async () => {
    const [ada, bob, eve] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Eve'),
    ];
    const id = await directConversation(test.server, ada, bob);
    const photo = jpegLike(1600, 1200);
    const uploaded = await send(ada, id, photo);
    expect(uploaded.status).toBe(201);
    const body = (await uploaded.json()) as { url: string; mime: string; width: number; height: number; blobId: string };
    expect(body).toMatchObject({ mime: 'image/jpeg', width: 1600, height: 1200 });

    const forBob = await fetchBlob(bob, body.url);
    expect(forBob.status).toBe(200);
    expect(forBob.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await forBob.arrayBuffer()).equals(photo)).toBe(true);
    expect((await fetchBlob(eve, body.url)).status).toBe(404);
    expect((await fetchBlob(null, body.url)).status).toBe(401);

    // Stored once, however often it is sent.
    expect(((await (await send(bob, id, photo)).json()) as { blobId: string }).blobId).toBe(body.blobId);
  });

  it('refuses a text file named .png, an oversized file, and non-members', async () => {
    const [ada, bob, eve] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Eve'),
    ];
    const id = await directConversation(test.server, ada, bob);
    const text = await send(ada, id, new TextEncoder().encode('just text, honestly'), 'image/png');
    expect(text.status).toBe(415);
    const big = await send(ada, id, jpegLike(100, 100, 201 * 1024));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'payload_too_large' });
    expect((await send(eve, id, solidPng(4, 4), 'image/png')).status).toBe(404);
    expect((await send(ada, id, jpegLike(5000, 10))).status).toBe(400);
  });
});
