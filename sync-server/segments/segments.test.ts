/**
 * History segments over real sockets (docs/SEGMENTS.md): a conversation that
 * crosses several segment bounds keeps one order, `seq` exactly 1..N with
 * nothing lost or doubled, and a message written offline into an old segment
 * is numbered after everything already numbered. A small bound comes from
 * the server's configuration.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { segmentDocName } from '../../shared/doc-names.js';
import { segmentsOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { directConversation } from '../testing/direct-conversation.js';
import { openSegmented, readConversation, type ReadMessage } from '../testing/segmented-client.js';
import { openDoc } from '../testing/synced-client.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const BOUND = 8;
const test = useTestServer({ historySegments: { messages: BOUND, bytes: 0 } });

/** Every message once, and the numbers exactly 1..N. */
function expectOneOrder(read: readonly ReadMessage[], expectedIds: readonly string[]): void {
  expect(read.map((r) => r.message.id).sort()).toEqual([...expectedIds].sort());
  expect(read.map((r) => r.seq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(expectedIds.map((_, i) => i + 1));
}

describe('history segments', () => {
  it('a conversation crossing 3 segment bounds with two writers online and one offline: seq exactly 1..N, nothing lost or doubled, the late messages last', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    // Bob's phone, offline since before the first rollover, writes into segment 0.
    const phone = new Y.Doc();
    const offline = [1, 2, 3].map((i) => writeMessage(phone, bob.id, `from the train ${i}`));

    const [adaClient, bobClient] = [
      await openSegmented(test.server, ada, conversationId),
      await openSegmented(test.server, bob, conversationId),
    ];
    const sent: string[] = [];
    const write = async (client: typeof adaClient, who: string) => {
      for (let i = 0; i < 2 * BOUND; i++) sent.push((await client.sendAndWait(`${who} ${i}`)).message.id);
    };
    await Promise.all([write(adaClient, 'ada'), write(bobClient, 'bob')]);
    // Each writer learns of the newest segment through the list; give the last rollover its time.
    await waitFor((await adaClient.segment(0)).doc, () => adaClient.newest() >= 3, 10_000, 'three rollovers');

    const phoneClient = openDoc(test.server, bob, segmentDocName(conversationId, 0), phone);
    await waitFor(phone, () => offline.every((m) => seqIndexOf(phone).has(m.id)), 10_000, 'the offline messages numbered in segment 0');
    phoneClient.destroy();

    const read = await readConversation(test.server, ada, conversationId);
    expectOneOrder(read, [...sent, ...offline.map((m) => m.id)]);
    // Written offline, delivered last: numbered after everything else, in their author's order, and kept in segment 0.
    const total = sent.length + offline.length;
    for (const [i, message] of offline.entries()) {
      expect(read.find((r) => r.message.id === message.id)).toMatchObject({ segment: 0, seq: total - offline.length + 1 + i });
    }
    adaClient.destroy();
    bobClient.destroy();
  });

  it('the segment list says where each segment starts, continuing the numbers of the one before', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    const client = await openSegmented(test.server, ada, conversationId);
    for (let i = 0; i < BOUND + 1; i++) await client.sendAndWait(`m${i}`);
    const head = await client.segment(0);
    await waitFor(head.doc, () => client.newest() >= 1, 10_000, 'the first rollover');
    const first = segmentsOf(head.doc).get('1');
    expect(first?.firstSeq).toBeGreaterThan(BOUND - 1);
    const firstSeq = first?.firstSeq ?? Number.POSITIVE_INFINITY;
    const next = await client.sendAndWait('in the next segment');
    expect(next.segment).toBeGreaterThanOrEqual(1);
    const segmentOne = await client.segment(1);
    await waitFor(segmentOne.doc, () => seqIndexOf(segmentOne.doc).size > 0, 10_000, 'numbers in segment 1');
    // Segment 0 gave 1..firstSeq-1 itself; a number from firstSeq on in it is a late message's, given by segment 1 (and held there too).
    const own = [...seqIndexOf(head.doc).values()].filter((n) => n < firstSeq).sort((a, b) => a - b);
    expect(own).toEqual(Array.from({ length: firstSeq - 1 }, (_, i) => i + 1));
    seqIndexOf(head.doc).forEach((n, id) => {
      if (n >= firstSeq) expect(seqIndexOf(segmentOne.doc).get(id)).toBe(n);
    });
    expect(seqIndexOf((await client.segment(next.segment)).doc).get(next.message.id)).toBeGreaterThanOrEqual(firstSeq);
    client.destroy();
  });
});
