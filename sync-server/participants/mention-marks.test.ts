/**
 * The list's @ badge on the real server (mention-marks.ts through the heads):
 * a group message that mentions a member by name (Chinese too) sets that
 * member's `mentionSeq`, nobody else's; reading it puts the mark below the
 * read marker; a room loaded again finds the marks in the document; an
 * edit that adds a mention marks the newly mentioned, once.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { hasUnreadMention, type Head } from '../../shared/heads.js';
import { headsOf, membersOf, messagesOf, metaOf, readsOf, seqOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { editText, textMessage, writeMessage } from '../../shared/testing/text-message.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';
import { mentionMarksOnLoad } from './mention-marks.js';

// The @ mark in each member's per-member head (HEADS_SHARED=0); in `headMarks` with shared heads: shared-heads.test.ts.
const test = useTestServer({ headsShared: false, headsCoalesceMs: 50 });

async function groupOf(owner: TestUser, members: TestUser[]): Promise<string> {
  for (const member of members) await befriend(test.server, owner, member);
  const created = await api<{ id: string }>(test.server, 'POST', '/api/conversations', {
    cookie: owner.cookie,
    body: { kind: 'group', title: 'Team', memberIds: members.map((m) => m.id) },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('mention marks', () => {
  it("mark the mentioned member's head until they read it, and nobody else's", async () => {
    const [ada, bob, ming] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, '小明'),
    ];
    const id = await groupOf(ada, [bob, ming]);
    const bobsChat = test.open(bob, convDocName(id));
    await waitFor(bobsChat.doc, () => ming.id in membersOf(bobsChat.doc), 10_000, 'Bob synced');
    const mingsList = test.open(ming, userDocName(ming.id));
    const adasList = test.open(ada, userDocName(ada.id));
    const headOf = (doc: Y.Doc): Head | undefined => headsOf(doc).get(id);

    // Written the Chinese way, with no space before the @.
    const mention = writeMessage(bobsChat.doc, bob.id, '你好@小明 看这里');
    await waitFor(bobsChat.doc, () => seqIndexOf(bobsChat.doc).has(mention.id), 10_000, 'the mention numbered');
    const seq = seqIndexOf(bobsChat.doc).get(mention.id) ?? -1;
    await waitFor(mingsList.doc, () => headOf(mingsList.doc)?.seq === seq, 10_000, "小明's head");
    expect(headOf(mingsList.doc)?.mentionSeq).toBe(seq);
    expect(hasUnreadMention(headOf(mingsList.doc) ?? { mentionSeq: 0 }, headOf(mingsList.doc)?.readSeq ?? 0)).toBe(true);
    await waitFor(adasList.doc, () => headOf(adasList.doc)?.seq === seq, 10_000, "Ada's head");
    expect(headOf(adasList.doc)?.mentionSeq).toBeUndefined();

    // A later message without a mention keeps the mark: it is still unread.
    const later = writeMessage(bobsChat.doc, bob.id, 'and one more thing');
    await waitFor(mingsList.doc, () => (headOf(mingsList.doc)?.seq ?? 0) > seq, 10_000, 'the next head');
    expect(headOf(mingsList.doc)?.mentionSeq).toBe(seq);

    const mingsChat = test.open(ming, convDocName(id));
    await waitFor(mingsChat.doc, () => seqIndexOf(mingsChat.doc).has(later.id), 10_000, '小明 synced');
    readsOf(mingsChat.doc).set(ming.id, seqIndexOf(mingsChat.doc).get(later.id) ?? 0);
    await waitFor(mingsList.doc, () => (headOf(mingsList.doc)?.readSeq ?? 0) > seq, 10_000, 'read');
    const head = headOf(mingsList.doc);
    expect(head && hasUnreadMention(head, head.readSeq)).toBe(false);
  });
});

describe('mentions added by an edit', () => {
  it('mark the person the edit newly mentions, and only them', async () => {
    const [ada, bob, cy] = [
      await createUser(test.server, 'Ada'),
      await createUser(test.server, 'Bob'),
      await createUser(test.server, 'Cy'),
    ];
    const id = await groupOf(ada, [bob, cy]);
    const adasChat = test.open(ada, convDocName(id));
    await waitFor(adasChat.doc, () => cy.id in membersOf(adasChat.doc), 10_000, 'Ada synced');
    const bobsList = test.open(bob, userDocName(bob.id));
    const cysList = test.open(cy, userDocName(cy.id));
    const headOf = (doc: Y.Doc): Head | undefined => headsOf(doc).get(id);

    const hi = writeMessage(adasChat.doc, ada.id, 'hi @Cy');
    await waitFor(adasChat.doc, () => seqIndexOf(adasChat.doc).has(hi.id), 10_000, 'numbered');
    const seq = seqIndexOf(adasChat.doc).get(hi.id) ?? -1;
    await waitFor(bobsList.doc, () => headOf(bobsList.doc)?.seq === seq, 10_000, "Bob's head");
    await waitFor(cysList.doc, () => headOf(cysList.doc)?.mentionSeq === seq, 10_000, "Cy's mention");
    expect(headOf(bobsList.doc)?.mentionSeq).toBeUndefined();

    // "hi @Cy" becomes "hi @Cy and @Bob": Bob is newly mentioned; his list gets the @ badge with no new message.
    editText(adasChat.doc, hi.id, 'hi @Cy and @Bob');
    await waitFor(bobsList.doc, () => headOf(bobsList.doc)?.mentionSeq === seq, 10_000, "Bob's mention by the edit");
    const bobsHead = headOf(bobsList.doc);
    expect(bobsHead && hasUnreadMention(bobsHead, bobsHead.readSeq)).toBe(true);
    expect(headOf(cysList.doc)?.mentionSeq).toBe(seq);
  });
});

describe('mentionMarksOnLoad', () => {
  it('finds the unread mentions of a group as stored, so a room loaded again keeps the badge', () => {
    const doc = new Y.Doc();
    metaOf(doc).set('kind', 'group');
    metaOf(doc).set('members', {
      a: { name: 'Ada', role: 'owner' },
      b: { name: 'Bob', role: 'member' },
      c: { name: 'Cy', role: 'member' },
    });
    const toBob = textMessage('a', 'hi @Bob');
    const toCy = textMessage('a', '@cy read this');
    const email = textMessage('b', 'mail cy@cy.org');
    for (const [message, seq] of [
      [toBob, 1],
      [toCy, 2],
      [email, 3],
    ] as const) {
      messagesOf(doc).set(message.id, message);
      seqOf(doc).set(message.id, seq);
    }
    readsOf(doc).set('b', 1);
    // Bob read his; Cy did not; an email address is no mention; nobody is marked outside groups.
    expect([...mentionMarksOnLoad(doc)]).toEqual([['c', 2]]);
    metaOf(doc).set('kind', 'direct');
    expect(mentionMarksOnLoad(doc).size).toBe(0);
  });
});
