/**
 * `npm run admin -- copy-to-postgres` (docs/OPERATIONS.md, "Moving to
 * PostgreSQL"): an embedded server writes a real store (people, sessions, a
 * friendship and a pending request, a group with an invite link, a direct
 * conversation over three history segments, a picture, a mute, a reminder,
 * a hidden last seen, the search index), stops, and the real command copies its DATA_DIR into a
 * fresh schema. A cluster relay on that schema, with an empty DATA_DIR of its
 * own, then serves the same history with the same numbers, and the
 * conversation goes on with `seq` continuing gap-free. A second copy into
 * the full schema is refused; a copy that fails halfway leaves the schema
 * empty; a store holding a sublevel the copy does not know is refused.
 * Shared heads (HEADS_SHARED) are copied with their revs, and the cluster
 * numbers the next one above them.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { encodeHeadsSubscribe, HEADS_FRAME_NAME, HeadMessageType, readHeadMessage } from '../../../shared/head-frames.js';
import { ROBOT_USER_ID } from '../../../shared/robot.js';
import { loadConfig } from '../../config.js';
import type { HeadRecord } from '../../participants/head-table.js';
import type { RunningServer } from '../../server.js';
import { api } from '../../testing/api-call.js';
import { befriend, directConversation } from '../../testing/direct-conversation.js';
import { solidPng } from '../../testing/images.js';
import { type MuxTestClient, openMux } from '../../testing/mux-client.js';
import { openSegmented, readConversation, type ReadMessage } from '../../testing/segmented-client.js';
import { startTestServer } from '../../testing/start-test-server.js';
import { makeTempDir, removeDir } from '../../testing/temp-dir.js';
import { createUser, signIn, type TestUser } from '../../testing/test-users.js';
import { TEST_DATABASE_URL, useTestSchema } from '../../testing/use-test-schema.js';
import { Database } from '../database.js';
import { LevelHeadRecords } from '../level-head-records.js';
import { COPIED_TABLES, RUNTIME_TABLES } from './copy-sources.js';
import { copyToPostgres } from './copy-to-postgres.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../..');
const SEGMENTS = { messages: 8, bytes: 0 };
/** Logs compacted every few updates, so that some copied logs start at a merged entry, not at clock 0. */
const COMPACT_EVERY = 5;
const pg = useTestSchema({ each: true });

/** Runs the real command, as an operator would, on DATA_DIR and the test's schema. */
async function adminCopy(dataDir: string, ...args: string[]): Promise<{ code: number; out: string }> {
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: pg.config.schema };
  try {
    const { stdout, stderr } = await run('node', ['--import', 'tsx', 'sync-server/admin.ts', 'copy-to-postgres', ...args], {
      cwd: ROOT,
      env,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** What a person sees of a conversation: each message's id, text, segment and number, in number order. */
function history(read: readonly ReadMessage[]): Array<[string, string, number, number | undefined]> {
  return read
    .map((r): [string, string, number, number | undefined] => [r.message.id, r.message.text, r.segment, r.seq])
    .sort((a, b) => (a[3] ?? 0) - (b[3] ?? 0));
}

async function rowCount(table: string): Promise<number> {
  const { rows } = await pg.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n;
}

/** The embedded server's store as a year of use leaves it, in small. */
async function writeEmbeddedStore(server: RunningServer) {
  const [ada, bob, cy] = [await createUser(server, 'Ada'), await createUser(server, 'Bob'), await createUser(server, 'Cy')];
  const conversationId = await directConversation(server, ada, bob);
  await befriend(server, ada, cy);
  const request = await api(server, 'POST', '/api/friends/requests', { cookie: cy.cookie, body: { email: bob.email, note: 'hello' } });
  expect(request.status).toBe(201);
  const group = await api<{ id: string }>(server, 'POST', '/api/conversations', {
    cookie: ada.cookie,
    body: { kind: 'group', title: 'Hikers', memberIds: [bob.id, cy.id] },
  });
  expect(group.status).toBe(201);
  const invite = await api<{ code: string }>(server, 'POST', `/api/conversations/${group.body.id}/invites`, {
    cookie: ada.cookie,
    body: {},
  });
  expect(invite.status).toBe(201);
  expect(
    (await api(server, 'PUT', `/api/conversations/${conversationId}/mute`, { cookie: bob.cookie, body: { muted: true } })).status,
  ).toBe(200);
  const hidden = await api(server, 'PUT', '/api/presence/settings', { cookie: cy.cookie, body: { lastSeen: 'nobody' } });
  expect(hidden.status).toBe(200);
  await server.context.robot.reminders.add(conversationId, ada.id, 'water the plants', Date.now() + 86_400_000);

  // 20 messages over a bound of 8: three segments.
  const [adaChat, bobChat] = [await openSegmented(server, ada, conversationId), await openSegmented(server, bob, conversationId)];
  for (let i = 0; i < 10; i++) {
    await adaChat.sendAndWait(`ada ${i} about the lighthouse`);
    await bobChat.sendAndWait(`bob ${i}`);
  }
  adaChat.destroy();
  bobChat.destroy();
  const picture = solidPng(6, 4);
  const uploaded = await fetch(`${server.url}/api/conversations/${conversationId}/pictures`, {
    method: 'POST',
    headers: { cookie: ada.cookie, origin: server.url, 'content-type': 'image/png' },
    body: new Uint8Array(picture),
  });
  expect(uploaded.status).toBe(201);
  const { url: pictureUrl } = (await uploaded.json()) as { url: string };
  await server.context.search.idle();
  const publicKey = ((await api<{ publicKey: string }>(server, 'GET', '/api/push/key')).body as { publicKey: string }).publicKey;
  return { ada, bob, cy, conversationId, groupId: group.body.id, inviteCode: invite.body.code, picture, pictureUrl, publicKey };
}

it('copies a store the embedded server wrote; a cluster relay serves the same history and numbering goes on gap-free', async () => {
  const [oldDir, clusterDir] = [await makeTempDir(), await makeTempDir()];
  let server: RunningServer | undefined;
  try {
    server = await startTestServer({ dataDir: oldDir, historySegments: SEGMENTS, docCompactThreshold: COMPACT_EVERY });
    const scene = await writeEmbeddedStore(server);
    const before = history(await readConversation(server, scene.ada, scene.conversationId));
    expect(before.map(([, , , seq]) => seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(Math.max(...before.map(([, , segment]) => segment))).toBeGreaterThanOrEqual(2);
    await server.close();
    server = undefined;

    const vapidFile = path.join(clusterDir, 'vapid.env');
    const copied = await adminCopy(oldDir, '--vapid-env', vapidFile);
    expect(copied.out).toContain('COPIED');
    expect(copied.code).toBe(0);
    expect(copied.out).not.toContain('DIFFERS');
    const ids = (await pg.pool.query<{ id: string }>('SELECT id FROM users ORDER BY id')).rows.map((row) => row.id);
    expect(ids).toEqual([scene.ada.id, scene.bob.id, scene.cy.id, ROBOT_USER_ID].sort());
    expect(await rowCount('reminders')).toBe(1);
    expect(await rowCount('blobs')).toBe(1);
    // Compacted logs are copied as compacted: their first entry is the merged one, at the clock the compaction gave it.
    const compacted = await pg.pool.query('SELECT name FROM doc_update GROUP BY name HAVING min(clock) > 0');
    expect(compacted.rowCount).toBeGreaterThan(0);
    // Nobody owns a copied document: the first relay to open one claims it at epoch 1.
    expect((await pg.pool.query('SELECT 1 FROM doc WHERE owner IS NOT NULL OR epoch <> 0')).rowCount).toBe(0);
    const vapid = Object.fromEntries(
      (await readFile(vapidFile, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split('=')),
    );
    expect(vapid.VAPID_PUBLIC_KEY).toBe(scene.publicKey);

    // The cluster relay: the copied database and an empty DATA_DIR of its own.
    const base = loadConfig({}, { dataDir: clusterDir });
    server = await startTestServer({
      dataDir: clusterDir,
      postgres: pg.config,
      historySegments: SEGMENTS,
      docCompactThreshold: COMPACT_EVERY,
      push: { ...base.push, vapidPublicKey: vapid.VAPID_PUBLIC_KEY, vapidPrivateKey: vapid.VAPID_PRIVATE_KEY },
    });
    // Devices subscribed to pushes before the move stay valid: the relay signs with the key they were made for.
    expect((await api<{ publicKey: string }>(server, 'GET', '/api/push/key')).body.publicKey).toBe(scene.publicKey);
    // A session from before the move still signs Ada in; Bob signs in with his password.
    expect((await api(server, 'GET', '/api/me', { cookie: scene.ada.cookie })).status).toBe(200);
    const bob: TestUser = await signIn(server, scene.bob.email, scene.bob.password);
    expect(history(await readConversation(server, scene.ada, scene.conversationId))).toEqual(before);

    const bobChat = await openSegmented(server, bob, scene.conversationId);
    const added: string[] = [];
    for (let i = 0; i < 5; i++) added.push((await bobChat.sendAndWait(`bob in the cluster ${i}`)).message.id);
    bobChat.destroy();
    const after = history(await readConversation(server, scene.ada, scene.conversationId));
    expect(after.map(([, , , seq]) => seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(after.slice(0, 20)).toEqual(before);
    expect(after.slice(20).map(([id]) => id)).toEqual(added);

    const picture = await fetch(server.url + scene.pictureUrl, { headers: { cookie: bob.cookie } });
    expect(picture.status).toBe(200);
    expect(Buffer.from(await picture.arrayBuffer()).equals(scene.picture)).toBe(true);
    const found = await api<{ hits: Array<{ text: string }> }>(server, 'GET', '/api/search?q=lighthouse', { cookie: bob.cookie });
    expect(found.body.hits).toHaveLength(10);
    expect((await api(server, 'GET', `/api/invites/${scene.inviteCode}`, { cookie: bob.cookie })).status).toBe(200);
    const cyPresence = await api<{ lastSeen: string }>(server, 'GET', '/api/presence', { cookie: scene.cy.cookie });
    expect(cyPresence.body.lastSeen).toBe('nobody');
    const settings = await api<{ muted?: string[] }>(server, 'GET', '/api/push/settings', { cookie: bob.cookie });
    expect(JSON.stringify(settings.body)).toContain(scene.conversationId);

    // The database is no longer empty: a second copy is refused and changes nothing.
    await server.close();
    server = undefined;
    const again = await adminCopy(oldDir);
    expect(again.code).toBe(1);
    expect(again.out).toContain('is not empty');
    expect(await rowCount('users')).toBe(ids.length);
  } finally {
    await server?.close();
    await removeDir(oldDir);
    await removeDir(clusterDir);
  }
  // Two servers started and a whole store copied: 27-60 s at load 20+, past vitest's 30 s default.
}, 90_000);

it('copies the shared heads with their revs; a cluster relay catches a member up from them and numbers the next head above', async () => {
  const [oldDir, clusterDir] = [await makeTempDir(), await makeTempDir()];
  let server: RunningServer | undefined;
  const sockets: MuxTestClient[] = [];
  try {
    server = await startTestServer({ dataDir: oldDir, headsShared: true, headsCoalesceMs: 0 });
    const [ada, bob] = [await createUser(server, 'Ada'), await createUser(server, 'Bob')];
    const conversationId = await directConversation(server, ada, bob);
    const adaChat = await openSegmented(server, ada, conversationId);
    await adaChat.sendAndWait('before the move');
    adaChat.destroy();
    await server.context.heads.idle();
    await server.close();
    server = undefined;
    const db = await Database.open(oldDir);
    let stored: Map<string, HeadRecord>;
    try {
      stored = await new LevelHeadRecords(db).recordsOf([conversationId]);
      const copied = await copyToPostgres(db, oldDir, pg.pool, pg.config.schema);
      expect(copied.reasons).toEqual([]);
      // The direct conversation's and each person's conversation with the robot, as many rows as LevelDB keys.
      const heads = copied.counts.find((count) => count.table === 'shared_heads');
      expect(heads?.level).toBeGreaterThanOrEqual(1);
      expect(heads?.postgres).toBe(heads?.level);
    } finally {
      await db.close();
    }
    const before = stored.get(conversationId);
    expect(before?.head).toMatchObject({ author: ada.id, preview: 'before the move' });

    server = await startTestServer({ dataDir: clusterDir, postgres: pg.config, headsShared: true, headsCoalesceMs: 0 });
    const socket = await openMux(server, bob.cookie);
    sockets.push(socket);
    const heads = () =>
      socket.frames
        .filter((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === HeadMessageType.head)
        .map((f) => readHeadMessage(f.message))
        .filter((h) => h?.conversationId === conversationId);
    const caughtUp = () => socket.frames.some((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === HeadMessageType.caughtUp);
    socket.sendFrame(encodeHeadsSubscribe(0));
    await socket.until(caughtUp, 'caught up', 30_000);
    expect(heads()).toEqual([{ conversationId, ...before }]);
    const bobChat = await openSegmented(server, bob, conversationId);
    await bobChat.sendAndWait('in the cluster');
    bobChat.destroy();
    await socket.until(() => heads().length === 2, 'the next head, live', 30_000);
    expect(heads()[1]?.head).toMatchObject({ author: bob.id, preview: 'in the cluster' });
    // Numbered by the cluster's sequence, above the rev copied from the embedded server.
    expect(heads()[1]?.rev).toBeGreaterThan(before?.rev ?? Number.POSITIVE_INFINITY);
  } finally {
    for (const socket of sockets) socket.close();
    await server?.close();
    await removeDir(oldDir);
    await removeDir(clusterDir);
  }
}, 90_000);

it('rolls back a copy that fails halfway (a picture whose file is gone): the schema stays empty and the copy can run again', async () => {
  const dataDir = await makeTempDir();
  try {
    const server = await startTestServer({ dataDir });
    const [ada, bob] = [await createUser(server, 'Ada'), await createUser(server, 'Bob')];
    const conversationId = await directConversation(server, ada, bob);
    const uploaded = await fetch(`${server.url}/api/conversations/${conversationId}/pictures`, {
      method: 'POST',
      headers: { cookie: ada.cookie, origin: server.url, 'content-type': 'image/png' },
      body: new Uint8Array(solidPng(3, 3)),
    });
    const { blobId } = (await uploaded.json()) as { blobId: string };
    await server.close();
    const file = path.join(dataDir, 'blobs', blobId);
    const bytes = await readFile(file);
    await rm(file);

    const db = await Database.open(dataDir);
    try {
      const failed = await copyToPostgres(db, dataDir, pg.pool, pg.config.schema);
      expect(failed.outcome).toBe('rolled-back');
      expect(failed.reasons.join()).toContain(`picture ${blobId}`);
      // The users were copied before the pictures, in the same transaction: gone with it.
      expect(await rowCount('users')).toBe(0);
      expect(await rowCount('doc')).toBe(0);

      await writeFile(file, bytes);
      const copied = await copyToPostgres(db, dataDir, pg.pool, pg.config.schema);
      expect(copied.reasons).toEqual([]);
      expect(copied.outcome).toBe('committed');
      // Ada, Bob and the robot.
      expect(await rowCount('users')).toBe(3);
    } finally {
      await db.close();
    }
  } finally {
    await removeDir(dataDir);
  }
});

it('refuses a store holding records it does not know how to copy, before writing anything', async () => {
  const dataDir = await makeTempDir();
  const db = await Database.open(dataDir);
  try {
    await db.users.put('u1', { id: 'u1', name: 'Ada', email: 'ada@example.com', passwordHash: 'x', activated: true, createdAt: 1 });
    await db.root.sublevel<string, { kept: boolean }>('storeOfTomorrow', { valueEncoding: 'json' }).put('k', { kept: true });
    const refused = await copyToPostgres(db, dataDir, pg.pool, pg.config.schema);
    expect(refused.outcome).toBe('refused');
    expect(refused.reasons.join()).toContain('storeOfTomorrow');
    expect(await rowCount('users')).toBe(0);
  } finally {
    await db.close();
    await removeDir(dataDir);
  }
});

it('knows every table of the migrations: each is filled from a sublevel, is the document table, or is written by a running cluster', async () => {
  // A migration that adds a store's table without teaching the copy about it fails here, not in an operator's move.
  const { rows } = await pg.pool.query<{ table_name: string }>(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name",
    [pg.config.schema],
  );
  const accounted = [...COPIED_TABLES.map((t) => t.table), 'doc', ...Object.keys(RUNTIME_TABLES)].sort();
  expect(rows.map((row) => row.table_name)).toEqual(accounted);
});
