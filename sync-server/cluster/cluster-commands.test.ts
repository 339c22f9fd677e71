/**
 * Server-side changes travel to the document's owner (docs/SCALING.md,
 * "Commands"): real servers on port 0 sharing the test's PostgreSQL schema
 * and Redis prefix, clients over real WebSockets. A removal through the
 * relay that does not own the group, heads into a user document owned by
 * the other relay, the robot answering where the conversation is owned, an
 * owner killed with a command in its inbox, and an answer lost on the way
 * back (the command sent again is answered, not run again).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { conversationsOf, headsOf, messagesOf, type ConversationSummary, type Message } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { writeMessage } from '../../shared/testing/text-message.js';
import type { DocumentCommand } from '../commands/document-command.js';
import type { Room } from '../relay/room.js';
import { robotConversationId } from '../robot/robot-account.js';
import type { RunningServer } from '../server.js';
import { api } from '../testing/api-call.js';
import type { ChildServer } from '../testing/child-server.js';
import { befriend, directConversation } from '../testing/direct-conversation.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import { openDoc, type SyncedClient, whenSynced } from '../testing/synced-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useClusterRelays } from '../testing/use-cluster-relays.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import { useTestSchema } from '../testing/use-test-schema.js';
import { waitFor } from '../testing/wait-for.js';
import { type InboxMessage, relayInbox } from './edge-channels.js';

const postgres = useTestSchema({ each: true });
const redis = useTestRedis();
const cluster = useClusterRelays(postgres, redis);
const { ownerOf } = cluster;
let clients: SyncedClient[] = [];
let held: Array<{ server: RunningServer; room: Room }> = [];

beforeEach(() => {
  clients = [];
  held = [];
});

afterEach(async () => {
  for (const client of clients) client.destroy();
  for (const { server, room } of held) server.context.registry.release(room);
});

function open(server: RunningServer | ChildServer, user: TestUser, docName: string): SyncedClient {
  const client = openDoc(server, user, docName, new Y.Doc(), { maxBackoffTime: 300 });
  clients.push(client);
  return client;
}

/**
 * Makes `server` the document's owner for the rest of the test: waits (bounded) until the relay that wrote it
 * last gave it up after its unload grace (there is no event across relays for that), then claims and holds it.
 */
async function ownOn(server: RunningServer, docName: string): Promise<void> {
  const deadline = performance.now() + 5000;
  while ((await ownerOf(docName)) !== null && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  held.push({ server, room: await server.context.registry.acquire(docName) });
  expect(await ownerOf(docName)).toBe(server.postgres?.lease.id);
}

function systemEvents(doc: Y.Doc): string[] {
  return [...messagesOf(doc).values()].filter((m) => m.kind === 'system' && m.event).map((m) => m.event?.type ?? '');
}

it('removes a member through the relay that does not own the group: 204, the event on both relays, the member cut off within 1 s', async () => {
  const [one, two] = await cluster.start(2);
  const [ada, bob, cy] = [await createUser(two, 'Ada'), await createUser(two, 'Bob'), await createUser(two, 'Cy')];
  for (const friend of [bob, cy]) await befriend(two, ada, friend);
  const created = await api<{ id: string }>(two, 'POST', '/api/conversations', {
    cookie: ada.cookie,
    body: { kind: 'group', title: 'Climbing', memberIds: [bob.id, cy.id] },
  });
  expect(created.status).toBe(201);
  const docName = convDocName(created.body.id);
  await ownOn(two, docName);
  const adaClient = open(two, ada, docName);
  const cyClient = open(one, cy, docName);
  await Promise.all([whenSynced(adaClient), whenSynced(cyClient)]);
  const bobOnOwner = rawSocket(two, docName, { cookie: bob.cookie });
  const bobOnEdge = rawSocket(one, docName, { cookie: bob.cookie });
  for (const socket of [bobOnOwner, bobOnEdge]) await new Promise((resolve) => socket.once('message', resolve));
  const closes = [closeCodeOf(bobOnOwner, 1000), closeCodeOf(bobOnEdge, 1000)];

  const started = performance.now();
  const removal = await api(one, 'DELETE', `/api/conversations/${created.body.id}/members/${bob.id}`, { cookie: ada.cookie });
  expect(removal.status).toBe(204);
  for (const closed of closes) expect((await closed).code).toBe(CloseCode.forbidden);
  expect(performance.now() - started).toBeLessThan(1000);
  for (const client of [adaClient, cyClient])
    await waitFor(client.doc, () => systemEvents(client.doc).includes('removed'), 5000, 'the removal event');
  // The group's document stayed where it was: the removal travelled to its owner, it did not move the document.
  expect(await ownerOf(docName)).toBe(two.postgres?.lease.id);
  expect(Object.keys(adaClient.doc.getMap('meta').get('members') as object).sort()).toEqual([ada.id, cy.id].sort());
  expect((await closeCodeOf(rawSocket(one, docName, { cookie: bob.cookie }))).code).toBe(CloseCode.forbidden);
  // Bob's list shows the group as ended, written into his user document wherever it was owned.
  const bobList = open(one, bob, userDocName(bob.id));
  await waitFor(bobList.doc, () => conversationsOf(bobList.doc).get(created.body.id)?.ended === 'removed', 5000, "Bob's ended entry");
});

it('writes the head of a conversation into a user document the other relay owns', async () => {
  // A head per member (HEADS_SHARED=0): a head command for every member; shared heads cross relays in cluster-heads.test.ts.
  const [one, two] = await cluster.start(2, undefined, { headsShared: false });
  const [ada, bob] = [await createUser(one, 'Ada'), await createUser(one, 'Bob')];
  const conversationId = await directConversation(one, ada, bob);
  await ownOn(one, userDocName(ada.id));
  await ownOn(two, convDocName(conversationId));
  const adaList = open(one, ada, userDocName(ada.id));
  const bobClient = open(two, bob, convDocName(conversationId));
  await Promise.all([whenSynced(adaList), whenSynced(bobClient)]);

  const hello = writeMessage(bobClient.doc, bob.id, 'a head across relays');
  await waitFor(bobClient.doc, () => seqIndexOf(bobClient.doc).has(hello.id), 5000, "Bob's message numbered");
  const seq = seqIndexOf(bobClient.doc).get(hello.id);
  await waitFor(adaList.doc, () => headsOf(adaList.doc).get(conversationId)?.seq === seq, 5000, "the head in Ada's list");
  expect(headsOf(adaList.doc).get(conversationId)).toMatchObject({ author: bob.id, preview: 'a head across relays', readSeq: 0 });
  // Written by relay two's head writer into relay one's document, which stayed relay one's.
  expect(await ownerOf(userDocName(ada.id))).toBe(one.postgres?.lease.id);
  expect(await ownerOf(convDocName(conversationId))).toBe(two.postgres?.lease.id);
});

it('answers a question once where the robot conversation is owned, and delivers a reminder from the other relay once', async () => {
  const [one, two] = await cluster.start(2);
  const ada = await createUser(one, 'Ada');
  const conversationId = robotConversationId(ada.id);
  const docName = convDocName(conversationId);
  await ownOn(two, docName);
  const adaClient = open(one, ada, docName);
  await whenSynced(adaClient);

  const question = writeMessage(adaClient.doc, ada.id, 'what is 6*7?');
  const replies = () => [...messagesOf(adaClient.doc).values()].filter((m) => m.author === ROBOT_USER_ID && m.replyTo === question.id);
  await waitFor(adaClient.doc, () => replies().length > 0, 5000, "the robot's reply");
  await Promise.all([one.context.robot.participant.idle(), two.context.robot.participant.idle()]);
  expect(replies()).toHaveLength(1);
  expect(replies()[0]?.text).toContain('42');

  // A reminder due now, delivered by whichever relay claims it; relay one does not own the conversation.
  await one.context.robot.reminders.add(conversationId, ada.id, 'stretch your legs', Date.now());
  await one.context.robot.reminders.deliverDue();
  const reminders = () => [...messagesOf(adaClient.doc).values()].filter((m) => m.text === 'stretch your legs');
  await waitFor(adaClient.doc, () => reminders().length > 0, 5000, 'the reminder');
  await two.context.robot.reminders.deliverDue();
  expect(reminders()).toHaveLength(1);
  expect(await ownerOf(docName)).toBe(two.postgres?.lease.id);
});

it('applies a command whose owner was killed with it in its inbox exactly once, on the relay that claims the document after', async () => {
  // Long enough that neither relay loses its lease to a busy machine while the test sets up (a 1 s lease could; robot-owner-killed moved to 4 s for the same reason).
  const LEASE_MS = 4000;
  const [one] = await cluster.start(1, LEASE_MS);
  const owner = await cluster.startChild(LEASE_MS);
  const [ada, bob] = [await createUser(one, 'Ada'), await createUser(one, 'Bob')];
  const conversationId = await directConversation(one, ada, bob);
  const docName = convDocName(conversationId);
  const deadline = performance.now() + 5000;
  while ((await ownerOf(docName)) !== null && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  // Ada's client on the child makes it the owner.
  const adaClient = open(owner, ada, docName);
  await whenSynced(adaClient);
  const childLease = await ownerOf(docName);
  expect(childLease).not.toBeNull();
  expect(childLease).not.toBe(one.postgres?.lease.id);
  adaClient.provider.disconnect();

  // Frozen, then killed: the command reaches its inbox (Redis hands it to the stopped process's socket) and is never run there.
  const pid = owner.pid;
  if (pid === undefined) throw new Error('the owner is not running');
  process.kill(pid, 'SIGSTOP');
  const message: Message = {
    id: 'm-owner-died',
    author: 'system',
    kind: 'system',
    text: 'sent while the owner died',
    createdAt: Date.now(),
  };
  const started = performance.now();
  const running = one.context.commands.run({ kind: 'post-message', conversationId, message });
  // Once it waits for the owner's answer, the command is on its way to the owner's inbox.
  const sent = performance.now() + 5000;
  while (one.edges?.commands.waitingCount !== 1 && performance.now() < sent) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(one.edges?.commands.waitingCount).toBe(1);
  await owner.kill();
  await running;
  // Tried on the dead owner for an attempt, then claimed here once its lease ran out.
  expect(performance.now() - started).toBeGreaterThanOrEqual(LEASE_MS - 100);
  expect(await ownerOf(docName)).toBe(one.postgres?.lease.id);

  const { rows } = await postgres.pool.query<{ update: Buffer }>('SELECT update FROM doc_update WHERE name = $1 ORDER BY clock', [docName]);
  const stored = new Y.Doc();
  for (const row of rows) Y.applyUpdate(stored, new Uint8Array(row.update));
  expect(messagesOf(stored).get(message.id)?.text).toBe('sent while the owner died');
  // Numbered once, after whatever was there: every number from 1 on, once.
  const numbers = [...seqIndexOf(stored).values()].sort((a, b) => a - b);
  expect(numbers).toEqual(Array.from({ length: messagesOf(stored).size }, (_, i) => i + 1));
  expect(seqIndexOf(stored).get(message.id)).toBe(numbers.length);

  // Sent again (as a sender whose answer was lost would): nothing more is stored.
  const before = rows.length;
  await one.context.commands.run({ kind: 'post-message', conversationId, message });
  await one.context.registry.acquire(docName).then((room) => room.flushed().finally(() => one.context.registry.release(room)));
  const after = await postgres.pool.query('SELECT clock FROM doc_update WHERE name = $1', [docName]);
  expect(after.rows.length).toBe(before);
});

it('answers a command sent again with the same id from memory: a lost answer never makes an older change win', async () => {
  const [one] = await cluster.start(1);
  const ada = await createUser(one, 'Ada');
  const docName = userDocName(ada.id);
  await ownOn(one, docName);
  const ownerLease = one.postgres?.lease.id;
  if (!ownerLease) throw new Error('relay one has no lease');
  const adaList = open(one, ada, docName);
  await whenSynced(adaList);

  // A sender by hand: its own inbox on Redis, where the owner answers.
  const prefix = redis.config.keyPrefix;
  const senderInbox = relayInbox('test-sender');
  const listener = redis.connect();
  const answers: Array<Extract<InboxMessage, { kind: 'command-done' }>> = [];
  let heard: () => void = () => {};
  await listener.subscribe(`${prefix}${senderInbox.name}`);
  listener.on('messageBuffer', (_channel: Buffer, bytes: Buffer) => {
    const decoded = senderInbox.decode(new Uint8Array(bytes));
    if (decoded?.kind === 'command-done') answers.push(decoded);
    heard();
  });
  const publisher = redis.connect();
  const ownerInbox = relayInbox(ownerLease);
  const entry = (title: string): DocumentCommand => {
    const summary: ConversationSummary = { id: 'gtitle', kind: 'group', title, createdAt: 1 };
    return { kind: 'list-entry', userId: ada.id, summary };
  };
  async function send(id: string, command: DocumentCommand | string): Promise<void> {
    const count = answers.length;
    const answered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${id}`)), 5000);
      heard = () => {
        if (answers.length > count) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    const json = typeof command === 'string' ? command : JSON.stringify(command);
    const message: InboxMessage = { kind: 'command', id, replyTo: 'test-sender', command: json };
    await publisher.publish(`${prefix}${ownerInbox.name}`, Buffer.from(ownerInbox.encode(message)));
    await answered;
  }

  await send('first', entry('First'));
  await send('second', entry('Second'));
  await send('first', entry('First'));
  // Not a command: refused at once, so its sender does not wait out every attempt.
  await send('junk', JSON.stringify({ kind: 'drop-everything', userId: ada.id }));
  expect(answers.map((a) => [a.id, a.status])).toEqual([
    ['first', 'done'],
    ['second', 'done'],
    ['first', 'done'],
    ['junk', 'failed'],
  ]);
  await waitFor(adaList.doc, () => conversationsOf(adaList.doc).get('gtitle')?.title === 'Second', 5000, 'the second title');
  const room = await one.context.registry.acquire(docName);
  await room.flushed();
  expect(conversationsOf(room.doc).get('gtitle')?.title).toBe('Second');
  one.context.registry.release(room);
});
