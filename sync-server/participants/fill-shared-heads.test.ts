/**
 * Turning shared heads on over a store the per-member heads wrote
 * (fill-shared-heads.ts): a real server with HEADS_SHARED off writes a group
 * and its messages (a head in each member's user document), stops; the fill
 * pass runs on its DATA_DIR; a server with HEADS_SHARED on then lists the
 * group in a member's catch-up without the group ever being loaded again,
 * with the marks each person had. A second pass writes nothing.
 *
 * Shared heads are the default, so a server started on such a store runs
 * the pass itself, once, before it serves (fillSharedHeadsAtStart): the
 * second test starts it twice and reads the log line the pass leaves.
 */
import { afterEach, expect, it } from 'vitest';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { encodeHeadsSubscribe, HEADS_FRAME_NAME, HeadMessageType, readHeadMessage, type HeadFrame } from '../../shared/head-frames.js';
import { headMarksOf, headsOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { DocRegistry } from '../relay/doc-registry.js';
import type { RunningServer } from '../server.js';
import { Database } from '../store/database.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { LevelHeadRecords } from '../store/level-head-records.js';
import { openMux } from '../testing/mux-client.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { groupThrough } from '../testing/relay-cluster.js';
import { addressOf } from '../testing/server-address.js';
import { startTestServer } from '../testing/start-test-server.js';
import { openDoc } from '../testing/synced-client.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import { fillSharedHeads, SHARED_HEADS_FILLED_KEY } from './fill-shared-heads.js';
import { HeadTable } from './head-table.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A group of Ada and Bob, with one message by Ada, written by a server with shared heads off (a head per member); the server stopped. */
async function storeWithPerMemberHeads(dataDir: string, text: string) {
  const server = await startTestServer({ dataDir, headsShared: false, headsCoalesceMs: 0 });
  try {
    const [ada, bob] = [await createUser(server, 'Ada'), await createUser(server, 'Bob')];
    const groupId = await groupThrough(addressOf(server), ada, [bob]);
    const chat = openDoc(server, ada, convDocName(groupId));
    const message = writeMessage(chat.doc, ada.id, text);
    await waitFor(chat.doc, () => seqIndexOf(chat.doc).has(message.id), 10_000, 'numbered');
    const seq = seqIndexOf(chat.doc).get(message.id) as number;
    const bobsList = openDoc(server, bob, userDocName(bob.id));
    await waitFor(bobsList.doc, () => headsOf(bobsList.doc).get(groupId)?.seq === seq, 10_000, "Bob's per-member head");
    chat.destroy();
    bobsList.destroy();
    return { ada, bob, groupId, seq };
  } finally {
    await server.close();
  }
}

/** A member's first catch-up on `/mux` (since 0): the heads it lists, by conversation. */
async function firstCatchUp(server: RunningServer, cookie: string): Promise<Map<string, HeadFrame['head']>> {
  const socket = await openMux(server, cookie);
  try {
    socket.sendFrame(encodeHeadsSubscribe(0));
    await socket.until(
      () => socket.frames.some((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === HeadMessageType.caughtUp),
      'caught up',
    );
    const heads = socket.frames
      .filter((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === HeadMessageType.head)
      .map((f) => readHeadMessage(f.message) as HeadFrame);
    return new Map(heads.map((h) => [h.conversationId, h.head]));
  } finally {
    socket.close();
  }
}

async function everyone(db: Database): Promise<string[]> {
  return db.users.keys().all();
}

async function* each(ids: string[]): AsyncIterable<string> {
  yield* ids;
}

/** Runs the pass on a stopped server's DATA_DIR, as the admin command does; then reads `people`'s marks of `conversationId`. */
async function fill(dataDir: string, conversationId: string, people: string[]) {
  const db = await Database.open(dataDir);
  const registry = new DocRegistry({ store: new LevelDocumentLog(db), unloadGraceMs: 0, compactThreshold: 500, log: quietLogger });
  try {
    const table = new HeadTable(new LevelHeadRecords(db));
    const report = await fillSharedHeads(registry, table, each(await everyone(db)));
    const marks: unknown[] = [];
    for (const userId of people) await registry.change(userDocName(userId), (doc) => marks.push(headMarksOf(doc).get(conversationId)));
    return { report, marks };
  } finally {
    await registry.closeAll();
    await db.close();
  }
}

it('fills the head table and the marks from the per-member heads, once', async () => {
  const dataDir = await makeTempDir('happy-chat-fill-heads-');
  cleanups.push(() => removeDir(dataDir));
  let server: RunningServer | null = await startTestServer({ dataDir, headsShared: false, headsCoalesceMs: 0 });
  const [ada, bob] = [await createUser(server, 'Ada'), await createUser(server, 'Bob')];
  const groupId = await groupThrough(addressOf(server), ada, [bob]);
  const chat = openDoc(server, ada, convDocName(groupId));
  const message = writeMessage(chat.doc, ada.id, 'written before the switch');
  await waitFor(chat.doc, () => seqIndexOf(chat.doc).has(message.id), 10_000, 'numbered');
  const seq = seqIndexOf(chat.doc).get(message.id);
  const bobsList = openDoc(server, bob, userDocName(bob.id));
  await waitFor(bobsList.doc, () => headsOf(bobsList.doc).get(groupId)?.seq === seq, 10_000, "Bob's per-member head");
  chat.destroy();
  bobsList.destroy();
  await server.close();
  server = null;

  const first = await fill(dataDir, groupId, [ada.id, bob.id]);
  // Ada, Bob and the robot's account.
  expect(first.report.people).toBe(3);
  expect(first.report.headsWritten).toBeGreaterThanOrEqual(1);
  expect(first.marks).toEqual([{ readSeq: seq }, { readSeq: 0 }]);
  const second = await fill(dataDir, groupId, []);
  expect(second.report).toEqual({ people: 3, marksWritten: 0, headsWritten: 0 });

  // Shared heads on: Bob's first catch-up lists the group as it was, though nothing loaded it since.
  const shared = await startTestServer({ dataDir, headsShared: true });
  cleanups.push(() => shared.close());
  const socket = await openMux(shared, bob.cookie);
  cleanups.push(async () => socket.close());
  socket.sendFrame(encodeHeadsSubscribe(0));
  const heads = (): HeadFrame[] =>
    socket.frames
      .filter((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === HeadMessageType.head)
      .map((f) => readHeadMessage(f.message) as HeadFrame);
  await socket.until(
    () => socket.frames.some((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === HeadMessageType.caughtUp),
    'caught up',
  );
  expect(heads().find((h) => h.conversationId === groupId)?.head).toMatchObject({
    seq,
    author: ada.id,
    preview: 'written before the switch',
  });
  expect(shared.context.registry.isLoaded(convDocName(groupId))).toBe(false);
});

it('fills the head table at the first start with the default (shared heads), before serving, and not at the next', async () => {
  const dataDir = await makeTempDir('happy-chat-fill-at-start-');
  cleanups.push(() => removeDir(dataDir));
  const { ada, bob, groupId, seq } = await storeWithPerMemberHeads(dataDir, 'written before the upgrade');
  const fills: unknown[] = [];
  const log = {
    ...quietLogger,
    info: (message: string, context?: Record<string, unknown>) => void (message.includes('filled') && fills.push(context)),
  };

  // No headsShared given: the default. No admin step ran.
  let server: RunningServer | null = await startTestServer({ dataDir, log });
  expect(server.context.config.headsShared).toBe(true);
  // Ada, Bob and the robot; the group and each one's welcome conversation with the robot, a mark of each for each.
  expect(fills).toEqual([expect.objectContaining({ people: 3, headsWritten: 3, marksWritten: 4 })]);
  const listed = await firstCatchUp(server, bob.cookie);
  expect(listed.get(groupId)).toMatchObject({ seq, author: ada.id, preview: 'written before the upgrade' });
  expect(server.context.registry.isLoaded(convDocName(groupId))).toBe(false);
  // Each person's marks: Ada wrote the message (read up to it), Bob has read nothing.
  for (const [person, readSeq] of [
    [ada, seq],
    [bob, 0],
  ] as const) {
    const own = openDoc(server, person, userDocName(person.id));
    await waitFor(own.doc, () => headMarksOf(own.doc).has(groupId), 10_000, `${person.name}'s marks`);
    expect(headMarksOf(own.doc).get(groupId)).toEqual({ readSeq });
    own.destroy();
  }
  await server.close();
  server = null;

  // The second start finds the marker and fills nothing; the list is still there.
  const again = await startTestServer({ dataDir, log });
  cleanups.push(() => again.close());
  expect(fills).toHaveLength(1);
  expect((await firstCatchUp(again, bob.cookie)).get(groupId)).toMatchObject({ seq, preview: 'written before the upgrade' });
});

/** The marker the start-time fill leaves in the stopped server's store. */
async function markerOf(dataDir: string): Promise<unknown> {
  const db = await Database.open(dataDir);
  try {
    return await db.meta.get(SHARED_HEADS_FILLED_KEY);
  } finally {
    await db.close();
  }
}

it('forgets the fill when started with shared heads off, so the next start with them fills again', async () => {
  const dataDir = await makeTempDir('happy-chat-fill-forget-');
  cleanups.push(() => removeDir(dataDir));
  await storeWithPerMemberHeads(dataDir, 'written with shared heads off');
  expect(await markerOf(dataDir)).toBeUndefined();
  await (await startTestServer({ dataDir })).close();
  expect(await markerOf(dataDir)).toEqual(expect.any(Number));
  // Back to a head per member: the table falls behind from here.
  await (await startTestServer({ dataDir, headsShared: false })).close();
  expect(await markerOf(dataDir)).toBeUndefined();
});

it('a fill after a time with shared heads off takes the newer of each mark, and never lowers one', async () => {
  const dataDir = await makeTempDir('happy-chat-fill-again-');
  cleanups.push(() => removeDir(dataDir));
  const { ada, bob, groupId, seq } = await storeWithPerMemberHeads(dataDir, 'read later, with shared heads off');
  const first = await fill(dataDir, groupId, [ada.id, bob.id]);
  expect(first.marks).toEqual([{ readSeq: seq }, { readSeq: 0 }]);

  // Shared heads off again for a while: Bob reads the message and is mentioned (his per-member head moves), while
  // Ada's mark was moved past her head by the server when shared heads were on.
  const db = await Database.open(dataDir);
  const registry = new DocRegistry({ store: new LevelDocumentLog(db), unloadGraceMs: 0, compactThreshold: 500, log: quietLogger });
  try {
    await registry.change(userDocName(bob.id), (doc) => {
      const head = headsOf(doc).get(groupId);
      if (!head) throw new Error("Bob's per-member head is missing");
      headsOf(doc).set(groupId, { ...head, readSeq: seq, mentionSeq: seq });
    });
    await registry.change(userDocName(ada.id), (doc) => headMarksOf(doc).set(groupId, { readSeq: seq + 5 }));
  } finally {
    await registry.closeAll();
    await db.close();
  }

  const again = await fill(dataDir, groupId, [ada.id, bob.id]);
  expect(again.marks).toEqual([{ readSeq: seq + 5 }, { readSeq: seq, mentionSeq: seq }]);
  expect(again.report.marksWritten).toBe(1);
});
