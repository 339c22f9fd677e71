/** Profiles: edits reach everyone who shows the person; pictures are checked by their bytes. */
import { describe, expect, it } from 'vitest';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { friendsOf, membersOf } from '../../shared/schema.js';
import { sniffImage } from '../blobs/image-type.js';
import { solidPng } from '../testing/images.js';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer({ uploadMaxBytes: 64 * 1024 });

function upload(user: TestUser, route: string, bytes: Uint8Array, contentType = 'image/png') {
  return fetch(test.server.url + route, {
    method: 'POST',
    headers: { cookie: user.cookie, origin: test.server.url, 'content-type': contentType },
    body: Buffer.from(bytes),
  });
}

describe('editing a profile', () => {
  it("reaches the conversation's members and the friend lists, offline-readable", async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, ada, bob);
    const changed = await api(test.server, 'PATCH', '/api/me', {
      cookie: ada.cookie,
      body: { name: 'Ada L.', bio: 'Poet of science', location: 'London' },
    });
    expect(changed.body).toMatchObject({ name: 'Ada L.', bio: 'Poet of science', location: 'London' });

    const chat = test.open(bob, convDocName(id));
    const bobsList = test.open(bob, userDocName(bob.id));
    await waitFor(chat.doc, () => membersOf(chat.doc)[ada.id]?.name === 'Ada L.', 10_000, 'meta.members');
    await waitFor(bobsList.doc, () => friendsOf(bobsList.doc).get(ada.id)?.name === 'Ada L.', 10_000, 'friend entry');
    const profile = await api(test.server, 'GET', `/api/users/${ada.id}`, { cookie: bob.cookie });
    expect(profile.body).toEqual({ id: ada.id, name: 'Ada L.', bio: 'Poet of science', location: 'London' });
  });

  it('refuses bad values and hides profiles from strangers', async () => {
    const [ada, eve] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Eve')];
    expect((await api(test.server, 'PATCH', '/api/me', { cookie: ada.cookie, body: { name: '' } })).body).toMatchObject({
      error: 'name_required',
    });
    expect((await api(test.server, 'PATCH', '/api/me', { cookie: ada.cookie, body: { bio: 'x'.repeat(301) } })).body).toMatchObject({
      error: 'text_too_long',
    });
    expect((await api(test.server, 'GET', `/api/users/${ada.id}`, { cookie: eve.cookie })).status).toBe(404);
  });
});

describe('avatars', () => {
  it('stores a real PNG once and shows it to the people who see the person', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const id = await directConversation(test.server, ada, bob);
    const png = solidPng(64, 48);
    const first = await upload(ada, '/api/me/avatar', png);
    expect(first.status).toBe(201);
    const { avatar } = (await first.json()) as { avatar: string };
    expect(avatar).toMatch(/^\/api\/blobs\/[0-9a-f]{64}$/);
    expect(((await (await upload(ada, '/api/me/avatar', png)).json()) as { avatar: string }).avatar).toBe(avatar);

    const fetched = await fetch(test.server.url + avatar, { headers: { cookie: bob.cookie } });
    expect(fetched.headers.get('content-type')).toBe('image/png');
    expect(fetched.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(png)).toBe(true);
    expect((await fetch(test.server.url + avatar)).status).toBe(401);

    const chat = test.open(bob, convDocName(id));
    await waitFor(chat.doc, () => membersOf(chat.doc)[ada.id]?.avatar === avatar, 10_000, 'avatar in meta');
  });

  it('refuses text named .png, pictures too large in bytes or pixels', async () => {
    const ada = await createUser(test.server, 'Ada');
    const fake = await upload(ada, '/api/me/avatar', new TextEncoder().encode('<script>alert(1)</script>'));
    expect(fake.status).toBe(415);
    expect(await fake.json()).toMatchObject({ error: 'unsupported_media_type' });
    const huge = await upload(ada, '/api/me/avatar', new Uint8Array(65 * 1024).fill(7));
    expect(huge.status).toBe(413);
    expect((await upload(ada, '/api/me/avatar', solidPng(2000, 10))).status).toBe(400);
    expect((await api(test.server, 'GET', '/api/me', { cookie: ada.cookie })).body).not.toHaveProperty('avatar');
  });
});

describe('sniffImage', () => {
  it('reads PNG, GIF, WebP and JPEG headers and nothing else', () => {
    expect(sniffImage(solidPng(3, 2))).toEqual({ mime: 'image/png', width: 3, height: 2 });
    const gif = Buffer.from('GIF89a\x05\x00\x04\x00', 'latin1');
    expect(sniffImage(gif)).toEqual({ mime: 'image/gif', width: 5, height: 4 });
    const jpeg = Buffer.from([
      0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x30, 0x03, 0, 0, 0, 0, 0, 0,
    ]);
    expect(sniffImage(jpeg)).toEqual({ mime: 'image/jpeg', width: 48, height: 32 });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'ascii');
    webp.write('WEBPVP8X', 8, 'ascii');
    webp.writeUIntLE(99, 24, 3);
    webp.writeUIntLE(49, 27, 3);
    expect(sniffImage(webp)).toEqual({ mime: 'image/webp', width: 100, height: 50 });
    expect(sniffImage(new TextEncoder().encode('GIF8 not really'))).toBeNull();
    expect(sniffImage(new Uint8Array([0xff, 0xd8, 0xff]))).toBeNull();
  });
});
