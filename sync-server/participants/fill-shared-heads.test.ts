/**
 * Turning shared heads on over a store the per-member heads wrote
 * (fill-shared-heads.ts): a real server with HEADS_SHARED off writes a group
 * and its messages (a head in each member's user document), stops; the fill
 * pass runs on its DATA_DIR; a server with HEADS_SHARED on then lists the
 * group in a member's catch-up without the group ever being loaded again,
 * with the marks each person had. A second pass writes nothing.
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
import { fillSharedHeads } from './fill-shared-heads.js';
import { HeadTable } from './head-table.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

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
  let server: RunningServer | null = await startTestServer({ dataDir, headsCoalesceMs: 0 });
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
