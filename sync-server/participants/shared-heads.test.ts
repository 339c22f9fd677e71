/**
 * Shared heads (HEADS_SHARED; docs/PROTOCOL.md, "Shared conversation heads"):
 * a message costs one head record and the marks of those whose marks moved,
 * not a user-document write per member; the head reaches the listening
 * sockets of current members only. In process, on a real DocRegistry and a
 * real head table over LevelDB in a temp dir, messages sent through a real
 * connection of the room, as the bench does.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { HEADS_FRAME_NAME, readHeadMessage, type HeadFrame } from '../../shared/head-frames.js';
import { headMarksOf, headsOf, messagesOf, metaOf, readsOf, type MemberInfo } from '../../shared/schema.js';
import { readMuxFrame } from '../../shared/mux-frames.js';
import { observeNumbers, seqIndexOf } from '../../shared/seq-index.js';
import { textMessage } from '../../shared/testing/text-message.js';
import { Connection } from '../relay/connection.js';
import { DocRegistry } from '../relay/doc-registry.js';
import { encodeUpdate } from '../relay/frames.js';
import type { Room } from '../relay/room.js';
import { Database } from '../store/database.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { LevelHeadRecords } from '../store/level-head-records.js';
import { TestSocket } from '../testing/room-harness.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { ConversationHeads } from './conversation-heads.js';
import { HeadHub } from './head-hub.js';
import { HeadTable } from './head-table.js';
import { HeadWriter } from './head-writer.js';

const GROUP = 'sharedgroup';
const MEMBERS = 40;
const ids = Array.from({ length: MEMBERS }, (_, i) => `person${String(i).padStart(2, '0')}`);

let dir: string;
let db: Database;
let registry: DocRegistry;
let writer: HeadWriter;
let room: Room;
let replica: Y.Doc;
/** A connection of the room for each member who writes, as their device. */
let senders: Map<string, Connection>;
/** How many times each document was changed by the head writer. */
let changes: Map<string, number>;
/** Heads each person's listening socket received. */
let received: Map<string, HeadFrame[]>;

beforeEach(async () => {
  dir = await makeTempDir('happy-chat-shared-heads-');
  db = await Database.open(dir);
  registry = new DocRegistry({ store: new LevelDocumentLog(db), unloadGraceMs: 60_000, compactThreshold: 500, log: quietLogger });
  const hub = new HeadHub();
  const table = new HeadTable(new LevelHeadRecords(db));
  changes = new Map();
  const change = (docName: string, apply: (doc: Y.Doc) => void) => {
    changes.set(docName, (changes.get(docName) ?? 0) + 1);
    return registry.change(docName, apply);
  };
  writer = new HeadWriter(change, 0, quietLogger, Date.now, { table, hub });
  registry.useParticipants([new ConversationHeads(writer)]);
  received = new Map();
  // Every member listens, and so does someone who is not in the group.
  for (const userId of [...ids, 'stranger']) {
    received.set(userId, []);
    hub.listen(userId, (frame) => {
      const { docName, message } = readMuxFrame(frame);
      const head = readHeadMessage(message);
      if (docName !== HEADS_FRAME_NAME || !head) throw new Error('not a head frame');
      received.get(userId)?.push(head);
    });
  }
  const members: Record<string, MemberInfo> = {};
  for (const id of ids) members[id] = { name: `N${id}`, role: 'member' };
  room = await registry.acquire(convDocName(GROUP));
  await room.serverChange((doc) => {
    metaOf(doc).set('kind', 'group');
    metaOf(doc).set('members', members);
  });
  await writer.idle();
  senders = new Map();
  replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(room.doc));
});

afterEach(async () => {
  await writer.close();
  registry.release(room);
  await registry.closeAll();
  await db.close();
  await removeDir(dir);
});

function senderOf(userId: string): Connection {
  let sender = senders.get(userId);
  if (!sender) {
    sender = new Connection(new TestSocket(), { userId, sessionId: `${userId}-session` }, room.name);
    room.join(sender);
    senders.set(userId, sender);
  }
  return sender;
}

/** `author` (the first member unless named) writes a message through their connection; resolves once every head write it caused is done. */
async function send(text: string, author = ids[0] ?? ''): Promise<void> {
  const sender = senderOf(author);
  const before = Y.encodeStateVector(replica);
  const message = textMessage(author, text);
  messagesOf(replica).set(message.id, message);
  changes.clear();
  for (const heads of received.values()) heads.length = 0;
  const numbered = numberedIn(room.doc, message.id);
  room.receive(sender, encodeUpdate(Y.encodeStateAsUpdate(replica, before)));
  await numbered;
  // Numbered in memory first; the heads are written after the batch is stored (the room's drain), then by the writer.
  await room.flushed();
  await writer.idle();
}

/**
 * Resolves once `messageId` has its number in `doc`. (This waited on the old `seq` map, which the
 * sequencer no longer writes, so it spun its 1,000 turns and then hoped the store was done: on a busy
 * machine it was not, and "marks move for the mentioned" read the marks before they moved.)
 */
function numberedIn(doc: Y.Doc, messageId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${messageId} was never numbered`));
    }, 10_000);
    const stop = observeNumbers(doc, () => {
      if (!seqIndexOf(doc).has(messageId)) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

async function userDoc(userId: string): Promise<Y.Doc> {
  const userRoom = await registry.acquire(`user/${userId}`);
  registry.release(userRoom);
  return userRoom.doc;
}

it('a message in a group writes one head and no user document: its author reads it from the head', async () => {
  await send('hello everyone');
  // The head is the author's own message: their client counts it as read (heads-view.ts), their marks wait.
  expect([...changes.keys()]).toEqual([]);
  expect(headMarksOf(await userDoc(ids[0] ?? '')).get(GROUP)).toBeUndefined();
  // Nobody else's document holds a copy of the head.
  expect(headsOf(await userDoc(ids[1] ?? '')).size).toBe(0);
  // Every member's socket got the one head; the stranger got nothing.
  for (const id of ids)
    expect(received.get(id)?.map(({ head }) => [head.seq, head.preview, head.author])).toEqual([[1, 'hello everyone', ids[0]]]);
  expect(received.get('stranger')).toEqual([]);
  // Stored once, with its rev: a catch-up from 0 finds it, one from its rev does not.
  const table = new HeadTable(new LevelHeadRecords(db));
  const stored = (await table.since([GROUP], 0)).get(GROUP);
  expect(stored?.head).toMatchObject({ seq: 1, preview: 'hello everyone' });
  expect((await table.since([GROUP], stored?.rev ?? 0)).size).toBe(0);
});

it("an author's marks are written once another member's message is the head, and only then", async () => {
  const [ada, bob] = [ids[0] ?? '', ids[1] ?? ''];
  await send('one', ada);
  await send('two', ada);
  expect([...changes.keys()]).toEqual([]);
  // Bob's message is the head now: Ada's stored marks must say she read her own two, or her list would count them.
  await send('three', bob);
  expect([...changes.keys()]).toEqual([`user/${ada}`]);
  expect(headMarksOf(await userDoc(ada)).get(GROUP)).toEqual({ readSeq: 2 });
  expect(headMarksOf(await userDoc(bob)).get(GROUP)).toBeUndefined();
  // Another message of Bob's: Ada's marks did not move, nobody's are written.
  await send('four', bob);
  expect([...changes.keys()]).toEqual([]);
  // Ada answers: Bob's marks (his two) are written, hers wait again.
  await send('five', ada);
  expect([...changes.keys()]).toEqual([`user/${bob}`]);
  expect(headMarksOf(await userDoc(bob)).get(GROUP)).toEqual({ readSeq: 4 });
  expect(headMarksOf(await userDoc(ada)).get(GROUP)).toEqual({ readSeq: 2 });
});

it('marks move for the mentioned and for a reader; a head that did not move is not sent again', async () => {
  await send(`ping @N${ids[5]}`);
  // The mentioned person's marks are written at once; the author's wait (the head is theirs).
  expect([...changes.keys()]).toEqual([`user/${ids[5]}`]);
  expect(headMarksOf(await userDoc(ids[5] ?? '')).get(GROUP)).toEqual({ readSeq: 0, mentionSeq: 1 });
  for (const heads of received.values()) heads.length = 0;
  changes.clear();
  await room.serverChange((doc) => readsOf(doc).set(ids[5] ?? '', 1));
  await writer.idle();
  expect([...changes.keys()]).toEqual([`user/${ids[5]}`]);
  expect(headMarksOf(await userDoc(ids[5] ?? '')).get(GROUP)).toEqual({ readSeq: 1, mentionSeq: 1 });
  expect([...received.values()].flat()).toEqual([]);
});

it('a removed member receives no more heads; the members left do', async () => {
  const removed = ids[3] ?? '';
  await room.serverChange((doc) => {
    const members = { ...(metaOf(doc).get('members') as Record<string, MemberInfo>) };
    delete members[removed];
    metaOf(doc).set('members', members);
  });
  await writer.idle();
  await send('after the removal');
  expect(received.get(removed)).toEqual([]);
  expect(received.get(ids[4] ?? '')?.map(({ head }) => head.preview)).toEqual(['after the removal']);
  expect(received.get('stranger')).toEqual([]);
});
