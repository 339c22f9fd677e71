/**
 * Conversation heads on the real server (participants/conversation-heads.ts,
 * head-writer.ts): each member's `user/<id>` document gets the newest stored
 * message of each conversation, coalesced, with their own read marker, and
 * only the server writes it. Clients are the stock provider over real
 * WebSockets; the store is LevelDB in a temp dir.
 */
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { HEAD_PREVIEW_MAX_LENGTH, unreadOfHead, type Head } from '../../shared/heads.js';
import { headsOf, messagesOf, metaOf, readsOf, seqOf, type MemberInfo } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { textMessage, writeMessage } from '../../shared/testing/text-message.js';
import { robotConversationId } from '../robot/robot-account.js';
import { LevelDocumentLog } from '../store/level-document-log.js';
import { directConversation } from '../testing/direct-conversation.js';
import { openRawSession } from '../testing/raw-session.js';
import { createUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const WINDOW_MS = 1000;
// A head per member in their user document: the path HEADS_SHARED=0 keeps (shared heads: shared-heads.test.ts).
const test = useTestServer({ headsShared: false, headsCoalesceMs: WINDOW_MS });

async function scene() {
  const [alice, bob] = [await createUser(test.server, 'Alice'), await createUser(test.server, 'Bob')];
  const conversationId = await directConversation(test.server, alice, bob);
  const chat = test.open(alice, convDocName(conversationId));
  const bobsList = test.open(bob, userDocName(bob.id));
  const alicesList = test.open(alice, userDocName(alice.id));
  const headIn = (doc: Y.Doc): Head | undefined => headsOf(doc).get(conversationId);
  /** Alice writes a message and waits until it is numbered; returns it with its number. */
  const send = async (text: string) => {
    const message = writeMessage(chat.doc, alice.id, text);
    await waitFor(chat.doc, () => seqIndexOf(chat.doc).has(message.id), 10_000, `"${text}" numbered`);
    return { message, seq: seqIndexOf(chat.doc).get(message.id) ?? -1 };
  };
  return { alice, bob, conversationId, chat, bobsList, alicesList, headIn, send };
}

it("a stored message becomes every member's head: number, time, author, a one-line preview", async () => {
  const { alice, bobsList, alicesList, headIn, send } = await scene();
  const { message, seq } = await send('  lunch   at noon?\nsee you ');
  for (const [list, readSeq] of [
    [bobsList, 0],
    [alicesList, seq],
  ] as const) {
    await waitFor(list.doc, () => headIn(list.doc)?.seq === seq, 10_000, 'the head');
    // Its author has read it; the other has not.
    expect(headIn(list.doc)).toEqual({
      seq,
      at: message.createdAt,
      author: alice.id,
      kind: 'text',
      preview: 'lunch at noon? see you',
      readSeq,
    });
  }
  const long = await send('x'.repeat(500));
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.seq === long.seq, 10_000, 'the long head');
  expect([...(headIn(bobsList.doc)?.preview ?? '')]).toHaveLength(HEAD_PREVIEW_MAX_LENGTH);
});

it('coalesces: many quick messages make far fewer head writes, and the last one is the head', async () => {
  const { bobsList, headIn, send } = await scene();
  const first = await send('message 0');
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.seq === first.seq, 10_000, 'the first head');
  let writes = 0;
  headsOf(bobsList.doc).observe(() => writes++);
  const started = Date.now();
  const count = 20;
  let last = first;
  for (let i = 1; i <= count; i++) last = await send(`message ${i}`);
  await test.server.context.heads.idle();
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.seq === last.seq, 10_000, 'the last head');
  const elapsed = Date.now() - started;
  expect(headIn(bobsList.doc)?.preview).toBe(`message ${count}`);
  // One round per window at most, plus the one the idle flush started early.
  expect(writes).toBeLessThanOrEqual(Math.ceil(elapsed / WINDOW_MS) + 1);
  expect(writes).toBeLessThan(count);
});

it('an edited newest message changes the preview; a deleted one shows "Message deleted", never its text', async () => {
  const { chat, bobsList, headIn, send } = await scene();
  const { message, seq } = await send('oops, wrong chat');
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.seq === seq, 10_000, 'the head');
  messagesOf(chat.doc).set(message.id, { ...message, text: 'oops, wrong chat (edited)', editedAt: Date.now() });
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.preview === 'oops, wrong chat (edited)', 10_000, 'the edited head');
  messagesOf(chat.doc).set(message.id, { ...message, text: '', deleted: true });
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.preview === 'Message deleted', 10_000, 'the deleted head');
  expect(JSON.stringify(headIn(bobsList.doc))).not.toContain('wrong chat');
  expect(headIn(bobsList.doc)?.seq).toBe(seq);
});

it("a member's unread count is right without opening the conversation, and follows their own read marker only", async () => {
  const { bob, conversationId, bobsList, alicesList, headIn, send } = await scene();
  await send('one');
  const { seq } = await send('two');
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.seq === seq, 10_000, 'the head');
  expect(unreadOfHead(headIn(bobsList.doc) ?? { seq: 0, readSeq: 0 })).toBe(2);

  const bobsChat = test.open(bob, convDocName(conversationId));
  await waitFor(bobsChat.doc, () => seqIndexOf(bobsChat.doc).size === 2, 10_000, "Bob's copy");
  readsOf(bobsChat.doc).set(bob.id, seq);
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.readSeq === seq, 10_000, "Bob's read marker in his head");
  expect(unreadOfHead(headIn(bobsList.doc) ?? { seq: 0, readSeq: 0 })).toBe(0);
  await test.server.context.heads.idle();
  expect(unreadOfHead(headIn(alicesList.doc) ?? { seq: 0, readSeq: 0 })).toBe(0);

  // Bob answers: Alice has one unread, Bob none.
  const answer = writeMessage(bobsChat.doc, bob.id, 'yes');
  await waitFor(alicesList.doc, () => headIn(alicesList.doc)?.preview === 'yes', 10_000, "Bob's answer in Alice's list");
  expect(unreadOfHead(headIn(alicesList.doc) ?? { seq: 0, readSeq: 0 })).toBe(1);
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.author === bob.id, 10_000, "Bob's answer in his list");
  expect(unreadOfHead(headIn(bobsList.doc) ?? { seq: 0, readSeq: 0 })).toBe(0);
  expect(answer.text).toBe('yes');
});

it("a removed member's head stays as it was when they went; the members' heads go on", async () => {
  const { alice, conversationId, bobsList, alicesList, headIn, send } = await scene();
  const before = await send('before Bob goes');
  await waitFor(bobsList.doc, () => headIn(bobsList.doc)?.seq === before.seq, 10_000, "Bob's head");
  const { registry, heads } = test.server.context;
  await registry.change(convDocName(conversationId), (doc) => metaOf(doc).set('members', { [alice.id]: { name: 'Alice', role: 'owner' } }));
  const after = await send('after Bob went');
  await waitFor(alicesList.doc, () => headIn(alicesList.doc)?.seq === after.seq, 10_000, "Alice's head");
  await heads.idle();
  expect(headIn(bobsList.doc)).toMatchObject({ seq: before.seq, preview: 'before Bob goes' });
});

it("the robot, a member of every person's robot conversation, gets no heads (its user document would hold one per person)", async () => {
  const { alice } = await scene();
  const robotChat = test.open(alice, convDocName(robotConversationId(alice.id)));
  const question = writeMessage(robotChat.doc, alice.id, 'help');
  await waitFor(robotChat.doc, () => seqIndexOf(robotChat.doc).has(question.id), 10_000, 'the question numbered');
  const { registry, heads } = test.server.context;
  await heads.idle();
  const robot = await registry.acquire(userDocName(ROBOT_USER_ID));
  expect(headsOf(robot.doc).size).toBe(0);
  registry.release(robot);
});

it('a client cannot write heads, not even into its own user document', async () => {
  const { bob, conversationId } = await scene();
  const session = await openRawSession(test.server, bob, userDocName(bob.id));
  await session.synced;
  session.write((doc) => headsOf(doc).set(conversationId, { seq: 99, at: 0, author: bob.id, kind: 'text', preview: 'forged', readSeq: 0 }));
  expect(await session.closed).toEqual({ code: CloseCode.invalidUpdate, reason: 'refused: server-only' });
});

it('a conversation stored before heads existed gets its heads when it is first loaded', async () => {
  const members: Record<string, MemberInfo> = { 'old-a': { name: 'A', role: 'member' }, 'old-b': { name: 'B', role: 'member' } };
  const old = new Y.Doc();
  const message = textMessage('old-a', 'from before heads');
  old.transact(() => {
    metaOf(old).set('members', members);
    messagesOf(old).set(message.id, message);
    seqOf(old).set(message.id, 1);
  });
  const log = new LevelDocumentLog(test.server.context.db);
  expect(await log.append('conv/oldlayout', { updates: [Y.encodeStateAsUpdate(old)], clientOwners: [] }, 0)).toEqual({ stored: true });
  const { registry, heads } = test.server.context;
  expect(registry.isLoaded('user/old-b')).toBe(false);

  const room = await registry.acquire('conv/oldlayout');
  await heads.idle();
  registry.release(room);
  for (const [userId, readSeq] of [
    ['old-a', 1],
    ['old-b', 0],
  ] as const) {
    const user = await registry.acquire(`user/${userId}`);
    expect(headsOf(user.doc).get('oldlayout')).toEqual({
      seq: 1,
      at: message.createdAt,
      author: 'old-a',
      kind: 'text',
      preview: 'from before heads',
      readSeq,
    });
    registry.release(user);
  }
});
