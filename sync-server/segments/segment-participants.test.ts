/**
 * The server's participants in a conversation of several history segments
 * (docs/SEGMENTS.md): the robot answers in the newest segment, each member's
 * list head shows the newest number across segments, the new segment
 * carries a copy of `meta` (kind, members) for them, and a mention edited
 * into a message of an older segment marks the mentioned (the @ badge).
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { userDocName } from '../../shared/doc-names.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { headsOf, messagesOf, metaOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { editText } from '../../shared/testing/text-message.js';
import { robotConversationId } from '../robot/robot-account.js';
import { api } from '../testing/api-call.js';
import { befriend, directConversation } from '../testing/direct-conversation.js';
import { openSegmented } from '../testing/segmented-client.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const BOUND = 4;
// Heads read per member from user documents (HEADS_SHARED=0), where this file checks them.
const test = useTestServer({ historySegments: { messages: BOUND, bytes: 0 }, headsShared: false, headsCoalesceMs: 0 });

describe('participants across segments', () => {
  it('the robot answers a question in a newer segment, which holds a copy of meta', async () => {
    const ada = await createUser(test.server, 'Ada');
    const conversationId = robotConversationId(ada.id);
    const client = await openSegmented(test.server, ada, conversationId);
    for (let i = 0; i < BOUND; i++) await client.sendAndWait(`roll ${i}`);
    await waitFor((await client.segment(0)).doc, () => client.newest() >= 1, 10_000, 'segment 1 opened');
    const { message, segment } = await client.sendAndWait('roll a die');
    expect(segment).toBeGreaterThanOrEqual(1);
    const { doc } = await client.segment(segment);
    await waitFor(
      doc,
      () => [...messagesOf(doc).values()].some((m) => m.author === ROBOT_USER_ID && m.replyTo === message.id),
      10_000,
      'the answer',
    );
    expect(metaOf(doc).get('kind')).toBe('robot');
    client.destroy();
  });

  it('a reminder asked in an older segment arrives in the newest', async () => {
    const ada = await createUser(test.server, 'Ada');
    const conversationId = robotConversationId(ada.id);
    const client = await openSegmented(test.server, ada, conversationId);
    const ask = await client.sendAndWait('remind me in 3 seconds to stretch');
    expect(ask.segment).toBe(0);
    for (let i = 0; i < BOUND; i++) await client.sendAndWait(`roll ${i}`);
    await waitFor((await client.segment(0)).doc, () => client.newest() >= 1, 10_000, 'segment 1 opened');
    // It lands in whatever segment is the newest when it is due: follow the list until it shows there.
    const list = (await client.segment(0)).doc;
    const reminded = (doc: Y.Doc) =>
      [...messagesOf(doc).values()].some((m) => m.author === ROBOT_USER_ID && m.text === '⏰ Reminder: stretch');
    let found = false;
    for (let tries = 0; tries < 5 && !found; tries++) {
      const segment = client.newest();
      const { doc } = await client.segment(segment);
      await waitFor([doc, list], () => reminded(doc) || client.newest() !== segment, 10_000, 'the reminder');
      found = reminded(doc);
    }
    expect(found).toBe(true);
    client.destroy();
  });

  it("a member's list head shows the newest number across segments", async () => {
    const [ada, bob] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Bob')];
    const conversationId = await directConversation(test.server, ada, bob);
    const client = await openSegmented(test.server, ada, conversationId);
    const count = 3 * BOUND;
    for (let i = 1; i <= count; i++) await client.sendAndWait(`message ${i}`);
    expect(client.newest()).toBeGreaterThanOrEqual(2);
    const bobsList = test.open(bob, userDocName(bob.id));
    await waitFor(bobsList.doc, () => headsOf(bobsList.doc).get(conversationId)?.seq === count, 10_000, "Bob's head at the newest");
    expect(headsOf(bobsList.doc).get(conversationId)).toMatchObject({ preview: `message ${count}`, author: ada.id, readSeq: 0 });
    client.destroy();
  });

  it('a mention edited into a message of an older segment marks the mentioned member (the @ badge)', async () => {
    const [ada, cy] = [await createUser(test.server, 'Ada'), await createUser(test.server, 'Cy')];
    await befriend(test.server, ada, cy);
    const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
      cookie: ada.cookie,
      body: { kind: 'group', title: 'Team', memberIds: [cy.id] },
    });
    expect(created.status).toBe(201);
    const conversationId = created.body.id;
    const client = await openSegmented(test.server, ada, conversationId);
    const first = await client.sendAndWait('see the plan');
    for (let i = 0; i < BOUND; i++) await client.sendAndWait(`roll ${i}`);
    await waitFor((await client.segment(0)).doc, () => client.newest() > first.segment, 10_000, 'a newer segment');
    // Ada's device has the newest segment open, as anyone's who has the conversation open.
    const last = await client.sendAndWait('in the newest');
    const lastSeq = seqIndexOf((await client.segment(last.segment)).doc).get(last.message.id);
    const cysList = test.open(cy, userDocName(cy.id));
    await waitFor(cysList.doc, () => headsOf(cysList.doc).get(conversationId)?.seq === lastSeq, 10_000, "Cy's head at the newest");
    expect(headsOf(cysList.doc).get(conversationId)?.mentionSeq).toBeUndefined();

    const older = (await client.segment(first.segment)).doc;
    editText(older, first.message.id, 'see the plan @Cy');
    const seq = seqIndexOf(older).get(first.message.id);
    expect(seq).toBeLessThan(lastSeq ?? 0);
    await waitFor(cysList.doc, () => headsOf(cysList.doc).get(conversationId)?.mentionSeq === seq, 10_000, "Cy's @ mark from the edit");
    expect(headsOf(cysList.doc).get(conversationId)?.seq).toBe(lastSeq);
    client.destroy();
  });
});
