/**
 * Shared heads over `/mux` on the real server (HEADS_SHARED; docs/PROTOCOL.md,
 * "Shared conversation heads"): a member's socket gets a catch-up of the heads
 * of their conversations after `since`, then each new head; a stranger's
 * socket never gets one; a removed member's socket stops getting them and
 * their catch-up leaves the conversation out. Real relay, real sockets,
 * LevelDB in a temp dir; messages written by the stock provider.
 */
import { afterEach, expect, it } from 'vitest';
import { convDocName } from '../../shared/doc-names.js';
import {
  encodeHeadsSubscribe,
  HEADS_FRAME_NAME,
  HeadMessageType,
  readCaughtUp,
  readHeadBatch,
  readHeadMessage,
  type HeadFrame,
} from '../../shared/head-frames.js';
import { headMarksOf, headsOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import { api } from '../testing/api-call.js';
import { type MuxTestClient, openMux } from '../testing/mux-client.js';
import { groupThrough } from '../testing/relay-cluster.js';
import { addressOf } from '../testing/server-address.js';
import { whenSynced } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';
import { waitFor } from '../testing/wait-for.js';

const test = useTestServer({ headsShared: true, headsCoalesceMs: 0 });
const sockets: MuxTestClient[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** A socket subscribed to `user`'s heads from `since`; its heads and caught-up revs as they arrive. */
async function listening(user: TestUser, since = 0) {
  const socket = await openMux(test.server, user.cookie);
  sockets.push(socket);
  const heads = (): HeadFrame[] =>
    socket.frames
      .filter((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === HeadMessageType.head)
      .map((f) => readHeadMessage(f.message) as HeadFrame);
  const caughtUp = (): number[] =>
    socket.frames
      .filter((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === HeadMessageType.caughtUp)
      .map((f) => readCaughtUp(f.message) ?? -1);
  socket.sendFrame(encodeHeadsSubscribe(since));
  await socket.until(() => caughtUp().length > 0, 'caught up');
  return { socket, heads, caughtUp };
}

async function scene() {
  const [ada, bob, cyd] = [
    await createUser(test.server, 'Ada'),
    await createUser(test.server, 'Bob'),
    await createUser(test.server, 'Cyd'),
  ];
  const groupId = await groupThrough(addressOf(test.server), ada, [bob]);
  const chat = test.open(ada, convDocName(groupId));
  const send = async (text: string) => {
    const message = writeMessage(chat.doc, ada.id, text);
    await waitFor(chat.doc, () => seqIndexOf(chat.doc).has(message.id), 10_000, `"${text}" numbered`);
    await test.server.context.heads.idle();
    return seqIndexOf(chat.doc).get(message.id) ?? -1;
  };
  return { ada, bob, cyd, groupId, send };
}

it("a member's socket gets each new head live, a stranger's none; marks go to the author's user document only, once the head is not theirs", async () => {
  const { ada, bob, cyd, groupId, send } = await scene();
  const bobs = await listening(bob);
  const cyds = await listening(cyd);
  const seq = await send('hello group');
  await bobs.socket.until(() => bobs.heads().some((h) => h.head.seq === seq), 'the live head');
  const live = bobs.heads().find((h) => h.head.seq === seq);
  expect(live).toMatchObject({ conversationId: groupId, head: { seq, author: ada.id, preview: 'hello group', kind: 'text' } });
  // Cyd hears of her own conversations (the robot greeted her), never of the group.
  expect(cyds.heads().length).toBeGreaterThan(0);
  expect(cyds.heads().filter((h) => h.conversationId === groupId)).toEqual([]);
  // No user document holds the head. Ada's marks wait while the head is hers: her client counts it as read.
  const bobsList = test.open(bob, `user/${bob.id}`);
  const adasList = test.open(ada, `user/${ada.id}`);
  await Promise.all([whenSynced(bobsList), whenSynced(adasList)]);
  expect(headsOf(bobsList.doc).get(groupId)).toBeUndefined();
  expect(headsOf(adasList.doc).get(groupId)).toBeUndefined();
  expect(headMarksOf(adasList.doc).get(groupId)).toBeUndefined();
  // Bob answers: now Ada's marks say she read up to her own message (writing counts as reading); Bob's wait.
  const bobsChat = test.open(bob, convDocName(groupId));
  const answer = writeMessage(bobsChat.doc, bob.id, 'hello Ada');
  await waitFor(bobsChat.doc, () => seqIndexOf(bobsChat.doc).get(answer.id) === seq + 1, 10_000, "Bob's answer numbered");
  await waitFor(adasList.doc, () => headMarksOf(adasList.doc).get(groupId)?.readSeq === seq, 10_000, "Ada's marks");
  await test.server.context.heads.idle();
  expect(headMarksOf(bobsList.doc).get(groupId)).toBeUndefined();
  expect(headsOf(adasList.doc).get(groupId)).toBeUndefined();
});

it('a catch-up sends the heads written after since, and nothing at or before it', async () => {
  const { bob, groupId, send } = await scene();
  const seq = await send('before the socket');
  const first = await listening(bob, 0);
  const caught = first.heads().filter((h) => h.conversationId === groupId);
  expect(caught.map((h) => h.head.seq)).toEqual([seq]);
  const rev = caught[0]?.rev ?? 0;
  expect(first.caughtUp()).toEqual([rev]);
  // A reconnect with the rev it holds gets no head again, only the caught-up mark.
  const again = await listening(bob, rev);
  expect(again.heads()).toEqual([]);
  expect(again.caughtUp()).toEqual([rev]);
});

it('a subscribe that reads batches gets the same catch-up in head-batch frames, no frame per head', async () => {
  const { ada, bob, send } = await scene();
  const second = await api(test.server, 'POST', '/api/conversations', {
    cookie: ada.cookie,
    body: { kind: 'group', title: 'Second', memberIds: [bob.id] },
  });
  expect(second.status).toBe(201);
  await send('before the sockets');
  const single = await listening(bob, 0);
  const socket = await openMux(test.server, bob.cookie);
  sockets.push(socket);
  const ofType = (type: number) => socket.frames.filter((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === type);
  socket.sendFrame(encodeHeadsSubscribe(0, true));
  await socket.until(() => ofType(HeadMessageType.caughtUp).length > 0, 'caught up');
  const batches = ofType(HeadMessageType.headBatch).map((f) => readHeadBatch(f.message));
  expect(batches).toHaveLength(1);
  expect(ofType(HeadMessageType.head)).toEqual([]);
  const byId = (heads: HeadFrame[]) => [...heads].sort((a, b) => (a.conversationId < b.conversationId ? -1 : 1));
  // Bob's robot greeting, the two groups: the heads a frame each would have brought, in one frame.
  expect(single.heads().length).toBeGreaterThanOrEqual(2);
  expect(byId(batches[0] ?? [])).toEqual(byId(single.heads()));
  expect(ofType(HeadMessageType.caughtUp).map((f) => readCaughtUp(f.message))).toEqual(single.caughtUp());
});

it('a removed member stops getting heads, live and in a catch-up; the others go on', async () => {
  const { ada, bob, groupId, send } = await scene();
  await send('before the removal');
  const bobs = await listening(bob);
  const adas = await listening(ada);
  expect((await api(test.server, 'DELETE', `/api/conversations/${groupId}/members/${bob.id}`, { cookie: ada.cookie })).status).toBe(204);
  const before = bobs.heads().length;
  const seq = await send('after the removal');
  await adas.socket.until(() => adas.heads().some((h) => h.head.seq === seq), "Ada's head");
  expect(
    bobs
      .heads()
      .slice(before)
      .filter((h) => h.head.preview === 'after the removal'),
  ).toEqual([]);
  const later = await listening(bob, 0);
  expect(later.heads().filter((h) => h.conversationId === groupId)).toEqual([]);
});

it('a malformed heads subscribe is refused for heads only; the socket stays and subscribes again', async () => {
  const { bob } = await scene();
  const socket = await openMux(test.server, bob.cookie);
  sockets.push(socket);
  // The subscribe without its `since`.
  socket.sendFrame(encodeHeadsSubscribe(0).slice(0, -1));
  expect(await socket.whenDocClosed(HEADS_FRAME_NAME)).toEqual({ code: 4400, reason: 'malformed subscribe' });
  socket.sendFrame(encodeHeadsSubscribe(0));
  await socket.until(
    () => socket.frames.some((f) => f.docName === HEADS_FRAME_NAME && f.message[0] === HeadMessageType.caughtUp),
    'caught up',
  );
});
