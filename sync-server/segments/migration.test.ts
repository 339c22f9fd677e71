/**
 * Migration to history segments (docs/SEGMENTS.md, "Names"): a conversation
 * stored as one whole document, by a server without rollover (today's code
 * path), opens after a restart with rollover on as segment 0 with every
 * message, number, read marker and reaction, and continues in segment 1
 * with the next number.
 */
import { describe, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import { messagesOf, reactionKey, reactionsOf, readsOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { directConversation } from '../testing/direct-conversation.js';
import { openSegmented, readConversation } from '../testing/segmented-client.js';
import { whenSynced } from '../testing/synced-client.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const test = useTestServer();

describe('a whole-document conversation', () => {
  it('opens as segment 0 with every message, seq, read and reaction, and continues numbering in segment 1', async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    const whole = test.open(ada, convDocName(conversationId));
    const written = Array.from({ length: 12 }, (_, i) => writeMessage(whole.doc, ada.id, `before segments ${i}`));
    await waitFor(whole.doc, () => written.every((m) => seqIndexOf(whole.doc).has(m.id)), 10_000, 'all numbered');
    whole.doc.transact(() => {
      readsOf(whole.doc).set(ada.id, 12);
      reactionsOf(whole.doc).set(reactionKey(written[3].id, '👍', ada.id), true);
    });
    // Stored once another member's replica has them (the relay stores before it sends).
    const witness = test.open(bob, convDocName(conversationId));
    await waitFor(
      witness.doc,
      () => readsOf(witness.doc).get(ada.id) === 12 && reactionsOf(witness.doc).size === 1,
      10_000,
      'read and reaction stored',
    );
    const before = { seq: seqIndexOf(whole.doc).toJSON(), messages: messagesOf(whole.doc).toJSON() };
    await test.restart({ historySegments: { messages: 5, bytes: 0 } });

    const after = test.open(bob, convDocName(conversationId));
    await whenSynced(after);
    expect(seqIndexOf(after.doc).toJSON()).toEqual(before.seq);
    expect(messagesOf(after.doc).toJSON()).toEqual(before.messages);
    expect(readsOf(after.doc).get(ada.id)).toBe(12);
    expect(reactionsOf(after.doc).get(reactionKey(written[3].id, '👍', ada.id))).toBe(true);

    // Already past the bound: the next stored batch closes segment 0, and numbering continues from 13.
    const client = await openSegmented(test.server, bob, conversationId);
    const next = await client.sendAndWait('after the upgrade');
    await waitFor((await client.segment(0)).doc, () => client.newest() === 1, 10_000, 'segment 1 opened');
    const inNew = await client.sendAndWait('in segment 1');
    expect(inNew.segment).toBe(1);
    const read = await readConversation(test.server, bob, conversationId);
    expect(read.map((r) => r.seq).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(read.find((r) => r.message.id === next.message.id)?.seq).toBe(13);
    expect(read.find((r) => r.message.id === inNew.message.id)).toMatchObject({ segment: 1, seq: 14 });
    // The read marker is one per member for the conversation: segment 1 starts with segment 0's.
    expect(readsOf((await client.segment(1)).doc).get(ada.id)).toBe(12);
    client.destroy();
  });
});
