/**
 * Crashes in the middle of the segment steps (docs/SEGMENTS.md), with the
 * store left by hand as the crash would have left it:
 * - between the two steps of a late message: the newest segment gave the
 *   number, the older segment that holds the message never copied it, and
 *   the conversation rolled over once more before the older segment loaded
 *   again. It finds the number given before (in the segment between) and
 *   keeps it: no second number, no gap;
 * - during a rollover, after the closing segment stored a message it did not
 *   number and before the list named the next segment: the segment is still
 *   the newest, numbers the message at load, and rolls over.
 */
import { describe, expect, it } from 'vitest';
import { convDocName, segmentDocName } from '../../shared/doc-names.js';
import { messagesOf, newestSegmentOf, segmentsOf, seqOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { textMessage } from '../../shared/testing/text-message.js';
import { Database } from '../store/database.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { directConversation } from '../testing/direct-conversation.js';
import { storeChange } from '../testing/stored-change.js';
import { openSegmented, readConversation } from '../testing/segmented-client.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const BOUND = 3;
const test = useTestServer({ historySegments: { messages: BOUND, bytes: 0 } });

describe('a late message whose number was given but not copied', () => {
  it('keeps the number given before, found in a segment after its own, when its segment loads again', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    const client = await openSegmented(test.server, ada, conversationId);
    for (let i = 0; i < BOUND; i++) await client.sendAndWait(`before ${i}`);
    await waitFor((await client.segment(0)).doc, () => client.newest() === 1, 10_000, 'segment 1 opened');
    client.destroy();
    const late = textMessage(bob.id, 'written on the train');

    await test.restart({}, async () => {
      const db = await Database.open(test.dataDir);
      const store = new LevelDocumentLog(db);
      // Segment 0 stored the late message; segment 1 numbered it (4); then the crash: no copy in segment 0.
      await storeChange(store, convDocName(conversationId), (doc) => messagesOf(doc).set(late.id, late));
      await storeChange(store, segmentDocName(conversationId, 1), (doc) => seqOf(doc).set(late.id, BOUND + 1));
      // And segment 1 closed since: segment 2 goes on from 5.
      await storeChange(store, convDocName(conversationId), (doc) =>
        segmentsOf(doc).set('2', { firstSeq: BOUND + 2, openedAt: Date.now() }),
      );
      await db.close();
    });

    // Bob's device comes back to segment 0, which loads and recovers.
    const bobClient = await openSegmented(test.server, bob, conversationId);
    const old = await bobClient.segment(0);
    await waitFor(old.doc, () => seqIndexOf(old.doc).get(late.id) !== undefined, 10_000, 'the late message numbered');
    expect(seqIndexOf(old.doc).get(late.id)).toBe(BOUND + 1);
    const next = await bobClient.sendAndWait('after the crash');
    expect(next.segment).toBe(2);
    const read = await readConversation(test.server, bob, conversationId);
    expect(read.map((r) => r.seq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5]);
    expect(read.find((r) => r.message.id === next.message.id)?.seq).toBe(BOUND + 2);
    bobClient.destroy();
  });

  it('during a rollover, before the list named the next segment: the segment numbers what waited at load and rolls over', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    await test.restart({ historySegments: { messages: 0, bytes: 0 } });
    const client = await openSegmented(test.server, ada, conversationId);
    for (let i = 0; i < BOUND; i++) await client.sendAndWait(`before ${i}`);
    client.destroy();
    const waited = textMessage(bob.id, 'stored while closing');
    await test.restart({ historySegments: { messages: BOUND, bytes: 0 } }, async () => {
      const db = await Database.open(test.dataDir);
      await storeChange(new LevelDocumentLog(db), convDocName(conversationId), (doc) => messagesOf(doc).set(waited.id, waited));
      await db.close();
    });

    const bobClient = await openSegmented(test.server, bob, conversationId);
    const head = await bobClient.segment(0);
    await waitFor(head.doc, () => newestSegmentOf(head.doc).segment === 1, 10_000, 'the rollover done at load');
    expect(seqIndexOf(head.doc).get(waited.id)).toBe(BOUND + 1);
    expect(segmentsOf(head.doc).get('1')?.firstSeq).toBe(BOUND + 2);
    const next = await bobClient.sendAndWait('in segment 1');
    expect(next.segment).toBe(1);
    expect(seqIndexOf((await bobClient.segment(1)).doc).get(next.message.id)).toBe(BOUND + 2);
    bobClient.destroy();
  });
});
