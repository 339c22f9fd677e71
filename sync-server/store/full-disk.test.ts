/**
 * Regression (issue 20, item 8): with DATA_DIR full, every writer's resend
 * used to close everyone in the conversation with 1013 "document reloading",
 * and once space was freed nothing recovered until a restart. Now the writer
 * is told 4507 (out of space, messages kept), readers stay connected, health
 * says the store is unhealthy, and the store is reopened by itself once
 * there is room again; what was written meanwhile then arrives.
 *
 * A real full filesystem: a small tmpfs mounted for the test (needs root,
 * which the test machines have; see docs/OPERATIONS.md).
 */
import { execFileSync } from 'node:child_process';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { SESSION_RENEW_WITHIN_MS, SESSION_TTL_MS } from '../../shared/limits.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { SessionStore } from '../auth/session.js';
import { SESSION_COOKIE } from '../http/cookies.js';
import type { RunningServer } from '../server.js';
import { solidPng } from '../testing/images.js';
import { LevelSessionRecordStore } from './level-sessions.js';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { startTestServer } from '../testing/start-test-server.js';
import { openDoc, type SyncedClient, whenSynced } from '../testing/synced-client.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';

const DISK_BYTES = 32 * 1024 * 1024;

let mountPoint = '';
let server: RunningServer | undefined;
const clients: SyncedClient[] = [];

beforeEach(async () => {
  mountPoint = await makeTempDir('happy-chat-full-disk-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_BYTES}`, 'tmpfs', mountPoint]);
  server = await startTestServer({ dataDir: path.join(mountPoint, 'data'), storeMinFreeBytes: 1024 * 1024 });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.close();
  execFileSync('umount', [mountPoint]);
  await removeDir(mountPoint);
});

/** Writes a file until the filesystem refuses (ENOSPC); returns its path. */
async function fillDisk(): Promise<string> {
  const filler = path.join(mountPoint, 'filler');
  const file = await open(filler, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let i = 0; i < (2 * DISK_BYTES) / chunk.length; i++) await file.write(chunk);
    throw new Error('the disk never filled');
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
    // The last page may take a few bytes more.
    for (let i = 0; i < 64; i++) await file.write(Buffer.alloc(64, 1)).catch(() => undefined);
  } finally {
    await file.close();
  }
  return filler;
}

function nextClose(client: SyncedClient): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    const onClose = (event: CloseEvent | null) => {
      client.provider.off('connection-close', onClose);
      resolve({ code: event?.code ?? 0, reason: event?.reason ?? '' });
    };
    client.provider.on('connection-close', onClose);
  });
}

it('refuses writes with 4507, keeps readers connected, and recovers without a restart once space is back', async () => {
  if (!server) throw new Error('no server');
  const running = server;
  const [alice, bob] = [await createUser(running, 'Alice'), await createUser(running, 'Bob')];
  const docName = convDocName(await directConversation(running, alice, bob));
  const open = (cookie: string) => {
    const client = openDoc(running, { cookie }, docName, new Y.Doc());
    clients.push(client);
    return client;
  };
  const writer = open(alice.cookie);
  const reader = open(bob.cookie);
  await Promise.all([whenSynced(writer), whenSynced(reader)]);
  const readerCloses: number[] = [];
  reader.provider.on('connection-close', (event) => readerCloses.push(event?.code ?? 0));
  const before = writeMessage(writer.doc, alice.id, 'before the disk filled');
  await waitFor(reader.doc, () => seqIndexOf(reader.doc).has(before.id), 10_000, 'the first message at the reader');

  const filler = await fillDisk();
  const refused = nextClose(writer);
  // Larger than a page, so it cannot slip into the log's last partly used page.
  const during = writeMessage(writer.doc, alice.id, 'written while the disk is full '.repeat(300));
  expect(await refused).toEqual({ code: CloseCode.storageUnavailable, reason: expect.stringContaining('out of space') });

  const health = await api<{ ok: boolean; store: string }>(running, 'GET', '/api/health');
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ ok: false, store: 'unhealthy' });
  // Signed-in people still get their session and profile.
  expect((await api(running, 'GET', '/api/me', { cookie: bob.cookie })).status).toBe(200);
  // Even when their session is due for renewal: the renewal waits, the request is served.
  const { db, users } = running.context;
  const renewalDue = new SessionStore(new LevelSessionRecordStore(db), users, {
    now: () => Date.now() + SESSION_TTL_MS - SESSION_RENEW_WITHIN_MS + 60_000,
    health: db.health,
  });
  expect(await renewalDue.validate(bob.cookie.slice(`${SESSION_COOKIE}=`.length))).toMatchObject({ user: { id: bob.id }, renewed: false });
  // New writes over HTTP get a clear 503.
  expect((await api(running, 'PATCH', '/api/me', { cookie: bob.cookie, body: { bio: 'hi' } })).status).toBe(503);
  const upload = await fetch(`${running.url}/api/me/avatar`, {
    method: 'POST',
    headers: { cookie: bob.cookie, origin: running.url, 'content-type': 'image/png' },
    body: new Uint8Array(solidPng(64, 64)),
  });
  expect(upload.status).toBe(503);
  // The writer's client resends by itself and is refused again, the reader is never disturbed.
  expect(await nextClose(writer)).toMatchObject({ code: CloseCode.storageUnavailable });
  expect(messagesOf(reader.doc).has(during.id)).toBe(false);

  await rm(filler);
  await running.context.db.health.whenWritable();
  expect((await api(running, 'GET', '/api/health')).status).toBe(200);
  await waitFor(reader.doc, () => seqIndexOf(reader.doc).has(during.id), 15_000, 'the outage message at the reader');
  expect(messagesOf(reader.doc).get(during.id)?.text).toBe(during.text);
  const after = writeMessage(reader.doc, bob.id, 'after recovery');
  await waitFor(writer.doc, () => seqIndexOf(writer.doc).has(after.id), 10_000, "the reader's reply at the writer");
  expect(readerCloses).toEqual([]);
});
