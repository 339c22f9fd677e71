/**
 * Files and voice messages over HTTP (issue 15), attacks first: an uploaded
 * page or SVG is never served as one on our origin, only members download,
 * an oversized upload is refused with the limit in words, and the exact
 * bytes come back under the name the message gives them.
 */
import { describe, expect, it } from 'vitest';
import type { SiteView, WidgetSession } from '../../shared/widget.js';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';

const FILE_LIMIT = 64 * 1024;
const test = useTestServer({ fileUploadMaxBytes: FILE_LIMIT });

function upload(user: TestUser, conversationId: string, bytes: Uint8Array | string, type: string, name: string) {
  return fetch(`${test.server.url}/api/conversations/${conversationId}/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { cookie: user.cookie, origin: test.server.url, 'content-type': type },
    body: typeof bytes === 'string' ? bytes : Buffer.from(bytes),
  });
}

const download = (user: TestUser | null, path: string) => fetch(test.server.url + path, { headers: user ? { cookie: user.cookie } : {} });

interface SentFile {
  blobId: string;
  name: string;
  mime: string;
  size: number;
}

async function threePeople() {
  const [ada, bob, eve] = [
    await createUser(test.server, 'Ada'),
    await createUser(test.server, 'Bob'),
    await createUser(test.server, 'Eve'),
  ];
  return { ada, bob, eve, conversationId: await directConversation(test.server, ada, bob) };
}

describe('files in conversations', () => {
  it('tells the app the limits this server takes, before anything is sent (no session needed)', async () => {
    const answer = await fetch(`${test.server.url}/api/upload-limits`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ fileMaxBytes: FILE_LIMIT, pictureMaxBytes: test.server.context.config.uploadMaxBytes });
  });

  it('gives the members the exact bytes as an attachment under the message’s name, and nobody else anything', async () => {
    const { ada, bob, eve, conversationId } = await threePeople();
    const bytes = new Uint8Array(40_000).map((_, i) => (i * 7919) % 256);
    const sent = await upload(ada, conversationId, bytes, 'application/pdf', 'C:\\fakepath\\报告 Q3.pdf');
    expect(sent.status).toBe(201);
    const file = (await sent.json()) as SentFile;
    expect(file).toMatchObject({ name: '报告 Q3.pdf', mime: 'application/pdf', size: 40_000 });

    const got = await download(bob, `/api/blobs/${file.blobId}?download=${encodeURIComponent(file.name)}`);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-disposition')).toBe(
      `attachment; filename="__ Q3.pdf"; filename*=UTF-8''${encodeURIComponent('报告 Q3.pdf')}`,
    );
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');

    expect((await download(eve, `/api/blobs/${file.blobId}`)).status).toBe(404);
    expect((await download(null, `/api/blobs/${file.blobId}`)).status).toBe(401);
    expect((await upload(eve, conversationId, 'sneaky', 'text/plain', 'a.txt')).status).toBe(404);
  });

  it('never serves an uploaded page or SVG as one: no HTML type, an attachment, sandboxed, not sniffed', async () => {
    const { ada, bob, conversationId } = await threePeople();
    const page = '<!doctype html><script>fetch("/api/me").then(r => r.text()).then(alert)</script>';
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>';
    for (const [bytes, type, name] of [
      [page, 'text/html', 'invoice.html'],
      [svg, 'image/svg+xml', 'logo.svg'],
      [page, 'image/png', 'looks-like-a.png'],
    ] as const) {
      const sent = (await (await upload(ada, conversationId, bytes, type, name)).json()) as SentFile;
      // Without ?download too: a file's stored record alone makes it an attachment.
      const got = await download(bob, `/api/blobs/${sent.blobId}`);
      expect(got.status).toBe(200);
      const servedType = got.headers.get('content-type') ?? '';
      expect(servedType).not.toMatch(/html|svg|xml|javascript/);
      expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
      expect(got.headers.get('content-security-policy')).toContain('sandbox');
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('asks for a stored picture with ?download: sent as an attachment too', async () => {
    const { ada, bob, conversationId } = await threePeople();
    const html = (await (await upload(ada, conversationId, '<h1>hi</h1>', 'text/html', 'x.html')).json()) as SentFile;
    const got = await download(bob, `/api/blobs/${html.blobId}?download=${encodeURIComponent('x.html"; evil=1')}`);
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="x.html__ evil=1"; filename*=UTF-8''x.html%22%3B%20evil%3D1`);
  });

  it('refuses an oversized file with the limit in words, and an empty one', async () => {
    const { ada, conversationId } = await threePeople();
    const big = await upload(ada, conversationId, new Uint8Array(FILE_LIMIT + 1), 'application/zip', 'big.zip');
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: 'payload_too_large', message: expect.stringContaining('64 KB') });
    expect((await upload(ada, conversationId, new Uint8Array(FILE_LIMIT), 'application/zip', 'fits.zip')).status).toBe(201);
    expect((await upload(ada, conversationId, new Uint8Array(0), 'text/plain', 'empty.txt')).status).toBe(400);
  });

  it('keeps a voice message audio: its type without parameters, served for <audio>', async () => {
    const { ada, bob, conversationId } = await threePeople();
    const voice = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 1, 2, 3, 4]);
    const sent = (await (await upload(ada, conversationId, voice, 'audio/webm;codecs=opus', 'voice.webm')).json()) as SentFile;
    expect(sent.mime).toBe('audio/webm');
    const got = await download(bob, `/api/blobs/${sent.blobId}`);
    expect(got.headers.get('content-type')).toBe('audio/webm');
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(voice))).toBe(true);
  });
});

describe('files in a visitor conversation', () => {
  it("takes the visitor's file for the site owner, and gives the owner's to that visitor alone", async () => {
    const owner = await createUser(test.server, 'Owner');
    const site = (
      await api<SiteView>(test.server, 'POST', '/api/sites', {
        cookie: owner.cookie,
        body: { name: 'Shop', origins: ['https://shop.example'] },
      })
    ).body;
    const arrive = async () =>
      (await (
        await fetch(`${test.server.url}/api/widget/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: test.server.url },
          body: JSON.stringify({ site: site.key, hostOrigin: 'https://shop.example' }),
        })
      ).json()) as WidgetSession;
    const [visitor, stranger] = [await arrive(), await arrive()];
    const asVisitor = (token: string, path: string, init: RequestInit = {}) =>
      fetch(test.server.url + path, {
        ...init,
        headers: { origin: test.server.url, authorization: `Bearer ${token}`, ...(init.headers as object) },
      });

    const sent = await asVisitor(visitor.token, `/api/widget/files?name=${encodeURIComponent('order.txt')}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'order 42',
    });
    expect(sent.status).toBe(201);
    const file = (await sent.json()) as SentFile;
    const forOwner = await download(owner, `/api/blobs/${file.blobId}?download=order.txt`);
    expect(await forOwner.text()).toBe('order 42');
    expect((await asVisitor(stranger.token, `/api/widget/pictures/${file.blobId}`)).status).toBe(404);

    const reply = await upload(owner, visitor.conversationId, '<svg onload=alert(1)>', 'image/svg+xml', 'map.svg');
    const replied = (await reply.json()) as SentFile;
    const seen = await asVisitor(visitor.token, `/api/widget/pictures/${replied.blobId}`);
    expect(await seen.text()).toBe('<svg onload=alert(1)>');
    expect(seen.headers.get('content-type')).toBe('application/octet-stream');
    expect(seen.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect((await asVisitor(stranger.token, `/api/widget/pictures/${replied.blobId}`)).status).toBe(404);

    const big = await asVisitor(visitor.token, '/api/widget/files?name=big.bin', { method: 'POST', body: new Uint8Array(FILE_LIMIT + 1) });
    expect(big.status).toBe(413);
  });
});
