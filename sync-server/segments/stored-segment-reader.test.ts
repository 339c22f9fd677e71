/**
 * A closed segment's sockets served from its stored log (issue 13, the
 * first open; relay/stored-segment-reader.ts): a device holding nothing of
 * it gets every message and number with no room loaded; anything else (a
 * write, a device holding some of it, another device's write) loads the
 * room, whose validator and late numbering apply as before; a segment
 * whose late message still waits for its number keeps a log the room
 * loads. Real relay, real sockets, real LevelDB.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { segmentDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf, metaOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { textMessage, writeMessage } from '../../shared/testing/text-message.js';
import { Database } from '../store/database.js';
import { storeChange } from '../testing/stored-change.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { directConversation } from '../testing/direct-conversation.js';
import { openRawSession } from '../testing/raw-session.js';
import { openSegmented } from '../testing/segmented-client.js';
import { whenSynced } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const BOUND = 5;
// As in production: messages start in segment 1, so segment 1 holds 1..BOUND.
const test = useTestServer({ historySegments: { messages: BOUND, bytes: 0, newInSegmentOne: true } });

/**
 * Ada writes to Bob until segment 1 is closed (segment 2 the newest), then
 * goes; returns once segment 1's log is one entry and it is unloaded.
 */
async function closedSegment(): Promise<{ ada: TestUser; bob: TestUser; conversationId: string; closed: string }> {
  const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
  const conversationId = await directConversation(test.server, ada, bob);
  const client = await openSegmented(test.server, ada, conversationId);
  for (let i = 0; i < BOUND; i++) await client.sendAndWait(`message ${i}`);
  await waitFor((await client.segment(0)).doc, () => client.newest() === 2, 10_000, 'segment 2 opened');
  client.destroy();
  const closed = segmentDocName(conversationId, 1);
  const { registry, db } = test.server.context;
  // No event tells of a compaction or an unload here: asked, bounded in count and time.
  for (let i = 0; i < 200; i++) {
    const stored = await new LevelDocumentLog(db).load(closed);
    if (stored.entries === 1 && !registry.isLoaded(closed)) return { ada, bob, conversationId, closed };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${closed} was not compacted and unloaded`);
}

describe('a closed segment served from its stored log', () => {
  it('a device holding nothing of it gets every message and number without the room loading', async () => {
    const { bob, closed } = await closedSegment();
    const { registry } = test.server.context;
    const reader = test.open(bob, closed);
    await whenSynced(reader);
    expect(messagesOf(reader.doc).size).toBe(BOUND);
    expect([...seqIndexOf(reader.doc).values()].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(metaOf(reader.doc).size).toBeGreaterThan(0);
    // Before, the segment's room loaded for every fresh device (one applyUpdate of the whole segment).
    expect(registry.isLoaded(closed)).toBe(false);
    expect(registry.readerOf(closed)?.answersFromStore).toBe(true);
  });

  it('a late message written through it loads the room, is numbered after the others and reaches the other reader', async () => {
    const { ada, bob, conversationId, closed } = await closedSegment();
    const { registry } = test.server.context;
    const bobs = test.open(bob, closed);
    const adas = test.open(ada, closed);
    await Promise.all([whenSynced(bobs), whenSynced(adas)]);
    expect(registry.isLoaded(closed)).toBe(false);

    const late = writeMessage(adas.doc, ada.id, 'late, into the closed segment');
    await waitFor(bobs.doc, () => seqIndexOf(bobs.doc).has(late.id), 10_000, 'the late message numbered at Bob');
    // Numbered by the newest segment, after everything numbered before it.
    expect(seqIndexOf(bobs.doc).get(late.id)).toBe(BOUND + 1);
    expect(registry.isLoaded(closed)).toBe(true);
    expect(registry.readerOf(closed)?.answersFromStore).toBe(false);
    const newest = test.open(bob, segmentDocName(conversationId, 2));
    await whenSynced(newest);
    expect(messagesOf(newest.doc).has(late.id)).toBe(false);
  });

  it('a write the validator refuses is refused through it', async () => {
    const { ada, bob, closed } = await closedSegment();
    const session = await openRawSession(test.server, bob, closed);
    await session.synced;
    expect(test.server.context.registry.isLoaded(closed)).toBe(false);
    const [target] = [...messagesOf(session.doc).values()];
    if (!target) throw new Error('no message');
    // Bob rewrites Ada's message as his: not his to change.
    session.write((doc) => messagesOf(doc).set(target.id, { ...target, author: bob.id, text: 'pwned' }));
    expect(await session.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: not-your-message' });
    const fresh = test.open(ada, closed);
    await whenSynced(fresh);
    expect(messagesOf(fresh.doc).get(target.id)).toEqual(target);
  });

  it('a member removed is cut off from it, read from the store or not', async () => {
    const { bob, conversationId, closed } = await closedSegment();
    const session = await openRawSession(test.server, bob, closed);
    await session.synced;
    expect(test.server.context.registry.readerOf(closed)?.answersFromStore).toBe(true);
    test.server.context.revoker.revoke({ kind: 'member-removed', conversationId, userId: bob.id });
    expect(await session.closed).toEqual({ code: CloseCode.forbidden, reason: 'no longer a member' });
  });

  it('a device holding some of it is joined to the room, which asks it for what the relay lacks', async () => {
    const { ada, bob, closed } = await closedSegment();
    const { registry } = test.server.context;
    // Bob's device synced it earlier, then wrote a late message offline.
    const earlier = test.open(bob, closed);
    await whenSynced(earlier);
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(earlier.doc));
    earlier.destroy();
    const late = writeMessage(offline, bob.id, 'written offline');

    const back = test.open(bob, closed, offline);
    await waitFor(offline, () => seqIndexOf(offline).has(late.id), 10_000, 'the offline message numbered');
    expect(registry.isLoaded(closed)).toBe(true);
    const adas = test.open(ada, closed);
    await whenSynced(adas);
    expect(messagesOf(adas.doc).get(late.id)?.text).toBe('written offline');
    back.destroy();
  });

  it('a closed segment whose late message could not get its number is not compacted into one entry, so the room serves it', async () => {
    const { bob, conversationId, closed } = await closedSegment();
    const late = textMessage(bob.id, 'written on the train');
    const reads = new Map<string, number>();
    // No search catch-up after the restart: it would load segment 1 itself while the socket's reader reads it.
    await test.restart(
      { searchCatchUp: { perPass: 0 } },
      async () => {
        const db = await Database.open(test.dataDir);
        const store = new LevelDocumentLog(db);
        // Segment 1 stored a late message; the newest segment, which would number it, cannot load (its log is damaged).
        await storeChange(store, closed, (doc) => messagesOf(doc).set(late.id, late));
        const newest = await store.load(segmentDocName(conversationId, 2));
        const damaged = await store.append(
          segmentDocName(conversationId, 2),
          { updates: [new Uint8Array([9, 9, 9])], clientOwners: [] },
          newest.nextClock,
        );
        expect(damaged.stored).toBe(true);
        await db.close();
      },
      { createDocumentLog: (db) => new CountingLog(db, reads) },
    );
    const { registry } = test.server.context;
    const unloaded = new Promise<void>((resolve) => {
      const stop = registry.onUnload((name) => {
        if (name !== closed) return;
        stop();
        resolve();
      });
    });
    // Bob's device loads segment 1 (its log is two entries), whose closed sequencer asks for the number and fails.
    const first = test.open(bob, closed);
    await whenSynced(first);
    expect(seqIndexOf(first.doc).has(late.id)).toBe(false);
    // Read once: the log of two entries the reader read is the room's load (before, read again: 2).
    expect(reads.get(closed)).toBe(1);
    first.destroy();
    await unloaded;
    // Before, it was compacted as it unloaded: one entry, holding a message without its number, served as stored.
    expect((await new LevelDocumentLog(test.server.context.db).load(closed)).entries).toBeGreaterThan(1);
    const readsBefore = reads.get(closed) ?? 0;
    const again = test.open(bob, closed);
    await whenSynced(again);
    expect(reads.get(closed)).toBe(readsBefore + 1);
    expect(registry.isLoaded(closed)).toBe(true);
    expect(registry.readerOf(closed)).toBeUndefined();
  });
});

/** The server's LevelDB document log, counting its reads of each document (`load`) into `reads`. */
class CountingLog extends LevelDocumentLog {
  constructor(
    db: Database,
    private readonly reads: Map<string, number>,
  ) {
    super(db);
  }

  override load(docName: string): ReturnType<LevelDocumentLog['load']> {
    this.reads.set(docName, (this.reads.get(docName) ?? 0) + 1);
    return super.load(docName);
  }
}
