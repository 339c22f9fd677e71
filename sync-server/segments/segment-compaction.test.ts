/**
 * A closed history segment keeps its log compacted into one entry
 * (docs/SEGMENTS.md, "Loading a segment"), so loading it is one update: it
 * is compacted once after its rollover, again after a late message, and a
 * segment closed by the version before (its log many entries, the stored
 * format unchanged) at its first load. Nothing is lost on the way: every
 * message, number and reaction reads back the same through fresh replicas
 * and after a restart.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { segmentDocName } from '../../shared/doc-names.js';
import { messagesOf, reactionKey, reactionsOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { Database } from '../store/database.js';
import type { StoredDoc } from '../store/document-log.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { directConversation } from '../testing/direct-conversation.js';
import { openSegmented, readConversation, type ReadMessage } from '../testing/segmented-client.js';
import { openDoc } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const BOUND = 8;
const test = useTestServer({ historySegments: { messages: BOUND, bytes: 0 } });

/** The log of `docName` as the running server's store holds it (read only). */
function storedLog(docName: string): Promise<StoredDoc> {
  return new LevelDocumentLog(test.server.context.db).load(docName);
}

/** Resolves once the log of `docName` is one entry; no event tells of a compaction, so the store is asked, bounded in count and time. */
async function compactedToOne(docName: string): Promise<StoredDoc> {
  for (let i = 0; i < 200; i++) {
    const stored = await storedLog(docName);
    if (stored.entries === 1) return stored;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${docName} was not compacted into one entry`);
}

/** Messages and numbers of one segment as a stored update holds them. */
function contentOf(update: Uint8Array): { messages: Record<string, unknown>; seq: Record<string, number> } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return { messages: messagesOf(doc).toJSON(), seq: seqIndexOf(doc).toJSON() };
}

/** Every message once, numbered exactly 1..N. */
function expectOneOrder(read: readonly ReadMessage[], count: number): void {
  expect(new Set(read.map((r) => r.message.id)).size).toBe(count);
  expect(read.map((r) => r.seq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: count }, (_, i) => i + 1));
}

/** Ada writes `count` messages one at a time (one log entry each) and waits until the list names segment `until`. */
async function writeSegments(ada: TestUser, conversationId: string, count: number, until: number): Promise<void> {
  const client = await openSegmented(test.server, ada, conversationId);
  for (let i = 0; i < count; i++) await client.sendAndWait(`message ${i}`);
  await waitFor((await client.segment(0)).doc, () => client.newest() >= until, 10_000, `segment ${until} in the list`);
  client.destroy();
}

describe('compaction of closed segments', () => {
  it('a segment is one log entry after its rollover, holding every message and number it held', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    await writeSegments(ada, conversationId, 2 * BOUND + 2, 2);

    const stored = await compactedToOne(segmentDocName(conversationId, 1));
    const read = await readConversation(test.server, bob, conversationId);
    expectOneOrder(read, 2 * BOUND + 2);
    const inSegment = read.filter((r) => r.segment === 1);
    expect(inSegment.length).toBeGreaterThanOrEqual(BOUND);
    const { messages, seq } = contentOf(stored.update);
    expect(Object.keys(messages).sort()).toEqual(inSegment.map((r) => r.message.id).sort());
    for (const r of inSegment) expect(seq[r.message.id]).toBe(r.seq);
  });

  it('a late message in a closed segment is numbered and the segment compacted again', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    await writeSegments(ada, conversationId, 2 * BOUND + 2, 2);
    const segmentOne = segmentDocName(conversationId, 1);
    await compactedToOne(segmentOne);

    // Bob's device believed segment 1 the newest: its message is kept there and numbered after everything.
    const late = openDoc(test.server, bob, segmentOne);
    await waitFor(late.doc, () => messagesOf(late.doc).size >= BOUND, 10_000, 'segment 1 synced');
    const message = writeMessage(late.doc, bob.id, 'from the train');
    await waitFor(late.doc, () => seqIndexOf(late.doc).get(message.id) === 2 * BOUND + 3, 10_000, 'the late message numbered last');
    late.destroy();

    const stored = await compactedToOne(segmentOne);
    expect(contentOf(stored.update).seq[message.id]).toBe(2 * BOUND + 3);
    expectOneOrder(await readConversation(test.server, ada, conversationId), 2 * BOUND + 3);
  });

  it('a segment closed by the version before, its log many entries, is compacted at its first load with nothing lost (stored data unchanged in format)', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    await writeSegments(ada, conversationId, 2 * BOUND + 2, 2);
    const segmentOne = segmentDocName(conversationId, 1);
    await compactedToOne(segmentOne);
    const before = await readConversation(test.server, bob, conversationId);

    // As the version before left a closed segment: one log entry per change. Three reactions, three entries.
    const reacted: string[] = [];
    await test.restart({}, async () => {
      const db = await Database.open(test.dataDir);
      try {
        const log = new LevelDocumentLog(db);
        const stored = await log.load(segmentOne);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, stored.update);
        const updates: Uint8Array[] = [];
        doc.on('update', (update: Uint8Array) => updates.push(update));
        for (const id of [...messagesOf(doc).keys()].slice(0, 3)) {
          reactionsOf(doc).set(reactionKey(id, '👍', ada.id), true);
          reacted.push(id);
        }
        const appended = await log.append(segmentOne, { updates, clientOwners: [[doc.clientID, ada.id]] }, stored.nextClock);
        expect(appended.stored).toBe(true);
        expect((await log.load(segmentOne)).entries).toBe(4);
      } finally {
        await db.close();
      }
    });

    const after = await readConversation(test.server, bob, conversationId);
    expect(after.map((r) => [r.message.id, r.seq, r.segment]).sort()).toEqual(before.map((r) => [r.message.id, r.seq, r.segment]).sort());
    const stored = await compactedToOne(segmentOne);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored.update);
    for (const id of reacted) expect(reactionsOf(doc).get(reactionKey(id, '👍', ada.id))).toBe(true);

    // And from the compacted log after a restart, as a fresh device reads it.
    await test.restart();
    const reader = openDoc(test.server, bob, segmentOne);
    await waitFor(reader.doc, () => reactionsOf(reader.doc).size === 3, 10_000, 'the reactions read back');
    expect(seqIndexOf(reader.doc).toJSON()).toEqual(contentOf(stored.update).seq);
    reader.destroy();
    expectOneOrder(await readConversation(test.server, ada, conversationId), 2 * BOUND + 2);
  });
});
