/**
 * A conversation made with rollover on starts its messages in segment 1
 * (docs/SEGMENTS.md, "Why segment 0 is `conv/<id>` itself"): `conv/<id>`,
 * which every device opens for `meta`, holds `meta` and the list only. A
 * device still running an app that does not read segments writes into
 * `conv/<id>`: its message is numbered after the others, never twice.
 */
import { describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { orderedMessages } from '../../shared/message-order.js';
import { messagesOf, metaOf, segmentsOf } from '../../shared/schema.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { directConversation } from '../testing/direct-conversation.js';
import { openSegmented, readConversation } from '../testing/segmented-client.js';
import { openDoc, whenSynced } from '../testing/synced-client.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const test = useTestServer({ historySegments: { messages: 1000, bytes: 512 * 1024, newInSegmentOne: true } });

describe('a new conversation with rollover on', () => {
  it('starts in segment 1: conv/<id> holds meta and the list, numbers go on from 1 there, an old app writing into conv/<id> is numbered after', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    const head = test.open(ada, convDocName(conversationId));
    await whenSynced(head);
    await waitFor(head.doc, () => segmentsOf(head.doc).has('1'), 10_000, 'segment 1 in the list');
    expect(segmentsOf(head.doc).get('1')?.firstSeq).toBe(1);
    expect(metaOf(head.doc).get('kind')).toBe('direct');
    expect(messagesOf(head.doc).size).toBe(0);

    const client = await openSegmented(test.server, ada, conversationId);
    const first = await client.sendAndWait('hello');
    expect(first.segment).toBe(1);

    // The previous app, cached on Bob's phone, knows conv/<id> only.
    const oldApp = openDoc(test.server, bob, convDocName(conversationId));
    await whenSynced(oldApp);
    const late = writeMessage(oldApp.doc, bob.id, 'from the old app');
    await waitFor(
      oldApp.doc,
      () => orderedMessages(oldApp.doc).some((m) => m.message.id === late.id && m.seq !== undefined),
      10_000,
      'numbered',
    );
    const second = await client.sendAndWait('after it');

    const read = await readConversation(test.server, ada, conversationId);
    const bySeq = [...read].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
    expect(bySeq.map((r) => [r.message.text, r.seq, r.segment])).toEqual([
      ['hello', 1, 1],
      ['from the old app', 2, 0],
      ['after it', 3, second.segment],
    ]);
    oldApp.destroy();
    client.destroy();
  });
});
