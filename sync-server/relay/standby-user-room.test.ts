/**
 * A person's own `user/<id>` unloads after the grace while their `/mux`
 * socket stays subscribed (issue 12, standby-user-room.ts), and nothing the
 * client sees changes: a friend request, a new conversation and their own
 * write still reach it at once, a reconnect syncs from state vectors, and a
 * sign-out still closes it. Real relay, real sockets, LevelDB in a temp dir.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { userDocName } from '../../shared/doc-names.js';
import { conversationsOf, listStateOf, requestsOf } from '../../shared/schema.js';
import { api } from '../testing/api-call.js';
import { type MuxTestClient, openMux } from '../testing/mux-client.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestServer } from '../testing/use-test-server.js';

const test = useTestServer({ docUnloadGraceMs: 100 });
const sockets: MuxTestClient[] = [];

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

/** Resolves once `docName` is not loaded on the relay (at once if it is not now); fails after 10 s. */
function unloaded(docName: string): Promise<void> {
  const registry = test.server.context.registry;
  if (!registry.isLoaded(docName)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${docName} stayed loaded`));
    }, 10_000);
    const stop = registry.onUnload((name) => {
      if (name !== docName) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}

/** `user`'s own document over a fresh `/mux` socket (into `doc`, from its state vector), once synced. */
async function subscribed(user: TestUser, doc = new Y.Doc()) {
  const socket = await openMux(test.server, user.cookie);
  sockets.push(socket);
  const name = userDocName(user.id);
  socket.subscribe(name, doc);
  await socket.until(() => socket.syncedDocs.has(name), 'synced');
  return { socket, doc, name };
}

it("unloads a subscribed person's own document after the grace, and a friend request, a new conversation and their own write still reach them", async () => {
  const ada = await createUser(test.server, 'Ada');
  const bob = await createUser(test.server, 'Bob');
  const registry = test.server.context.registry;
  const { socket, doc, name } = await subscribed(ada);

  await unloaded(name);
  expect(registry.standbyOf(name)?.connections.size).toBe(1);

  // A server change (Bob's request) loads it again and reaches the standing-by socket.
  const request = await api<{ id: string }>(test.server, 'POST', '/api/friends/requests', {
    cookie: bob.cookie,
    body: { email: ada.email, note: 'hi' },
  });
  expect(request.status).toBe(201);
  await socket.until(() => requestsOf(doc).size === 1, 'the friend request');
  await unloaded(name);

  // Accepting makes their direct conversation: its summary reaches Ada's list.
  const accepted = await api(test.server, 'POST', `/api/friends/requests/${request.body.id}/accept`, { cookie: ada.cookie });
  expect(accepted.status).toBe(200);
  await socket.until(() => conversationsOf(doc).size > 0, 'the new conversation');
  const [conversationId] = [...conversationsOf(doc).keys()];
  if (!conversationId) throw new Error('no conversation');
  await unloaded(name);
  // Unloaded is not gone: her friend still sees her online.
  const seen = await api<{ people: Record<string, unknown> }>(test.server, 'GET', '/api/presence', { cookie: bob.cookie });
  expect(seen.body.people[ada.id]).toEqual({ online: true });

  // Her own write while it is unloaded: loaded for it, stored, and a second tab gets it.
  const pinnedAt = Date.now();
  doc.transact(() => listStateOf(doc).set(conversationId, { pinnedAt }));
  const laptop = await subscribed(ada);
  await laptop.socket.until(() => listStateOf(laptop.doc).get(conversationId)?.pinnedAt === pinnedAt, 'the pin');
  expect(socket.closedDocs.size).toBe(0);
  await unloaded(name);
  expect(registry.standbyOf(name)?.connections.size).toBe(2);

  // A reconnect from the copy it holds asks with its state vector: nothing new, nothing more than the answer.
  socket.close();
  const again = await subscribed(ada, doc);
  expect(again.socket.bytesReceived).toBeLessThan(200);

  // Her last sockets closing while it is unloaded: she is seen leaving (a grace later), and the standby is forgotten.
  await unloaded(name);
  const offline = new Promise<void>((resolve) => {
    const stop = test.server.context.presence.lastSeen.onMarked((who, online) => {
      if (who !== ada.id || online) return;
      stop();
      resolve();
    });
  });
  again.socket.close();
  laptop.socket.close();
  await offline;
  expect(registry.standbyOf(name)).toBeUndefined();
});

it('closes a standing-by subscription at sign-out, and forgets it once its sockets are gone', async () => {
  const ada = await createUser(test.server, 'Ada');
  const registry = test.server.context.registry;
  const { socket, name } = await subscribed(ada);
  await unloaded(name);

  const closed = Promise.race([socket.socketClosed, socket.whenDocClosed(name)]);
  const out = await api(test.server, 'POST', '/api/auth/logout', { cookie: ada.cookie });
  expect(out.status).toBeLessThan(300);
  expect((await closed).code).toBe(4401);
  await socket.socketClosed;
  await unloaded(name);
  expect(registry.standbyOf(name)).toBeUndefined();
});
