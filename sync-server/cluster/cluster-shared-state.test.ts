/**
 * The test 6 with the state shared as a cluster shares it: two real
 * servers on one PostgreSQL schema (people, sessions, memberships) and one
 * Redis. A sign-out through relay one closes the session's socket on relay
 * two with 4401, and a removal through relay one closes the member's socket
 * on relay two with 4403, each within 1 s; a sign-out does so too while
 * Redis is down (a proxy cut), and with no Redis at all, through the
 * revocation log in PostgreSQL. Each relay still has its own
 * DATA_DIR; the people are made through relay two, so the documents their
 * sockets hold are relay two's, and the removal's writes into them travel
 * there as named commands (docs/SCALING.md, "Commands").
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import type { RunningServer } from '../server.js';
import { api } from '../testing/api-call.js';
import { befriend } from '../testing/direct-conversation.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import { startTestServer } from '../testing/start-test-server.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { FlakyProxy } from '../testing/flaky-proxy.js';
import { TEST_REDIS_URL, useTestRedis } from '../testing/use-test-redis.js';
import type { RedisConfig } from './redis-config.js';
import { useTestSchema } from '../testing/use-test-schema.js';

const postgres = useTestSchema({ each: true });
const redis = useTestRedis();
let relays: RunningServer[] = [];
let dirs: string[] = [];
let proxy: FlakyProxy | undefined;

/** Two relays on the test's schema; Redis as given (undefined: none at all). */
async function startRelays(redisConfig: RedisConfig | undefined): Promise<RunningServer[]> {
  dirs = [await makeTempDir(), await makeTempDir()];
  for (const dataDir of dirs) relays.push(await startTestServer({ dataDir, postgres: postgres.config, redis: redisConfig }));
  return relays;
}

/** Two relays whose Redis sits behind a proxy the test can take down, as a Redis crash would. */
async function startRelaysBehindProxy(): Promise<{ relays: RunningServer[]; proxy: FlakyProxy }> {
  proxy = new FlakyProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
  const port = await proxy.listen();
  return { relays: await startRelays({ ...redis.config, url: `redis://127.0.0.1:${port}` }), proxy };
}

beforeEach(() => {
  relays = [];
  dirs = [];
});

afterEach(async () => {
  for (const relay of relays) await relay.close();
  for (const dir of dirs) await removeDir(dir);
  await proxy?.close();
  proxy = undefined;
});

/** A socket bound to its document: the relay's first sync frame has arrived. */
async function openSynced(server: RunningServer, docName: string, user: TestUser): Promise<WebSocket> {
  const socket = rawSocket(server, docName, { cookie: user.cookie });
  await new Promise((resolve, reject) => {
    socket.once('message', resolve);
    socket.once('close', (code) => reject(new Error(`closed with ${code} before syncing`)));
  });
  return socket;
}

it('closes the socket a session holds on relay two with 4401 within 1 s of signing out through relay one', async () => {
  const [one, two] = await startRelays(redis.config);
  const ada = await createUser(two, 'Ada');
  const socket = await openSynced(two, userDocName(ada.id), ada);
  const closed = closeCodeOf(socket, 1000);
  const started = performance.now();
  expect((await api(one, 'POST', '/api/auth/logout', { cookie: ada.cookie })).status).toBe(204);
  expect((await closed).code).toBe(CloseCode.unauthenticated);
  expect(performance.now() - started).toBeLessThan(1000);
  // And relay two refuses the session from now on, from the shared store.
  expect((await api(two, 'GET', '/api/me', { cookie: ada.cookie })).status).toBe(401);
});

it("closes a removed member's socket on relay two with 4403 within 1 s of the removal through relay one", async () => {
  const [one, two] = await startRelays(redis.config);
  const ada = await createUser(two, 'Ada');
  const bob = await createUser(two, 'Bob');
  await befriend(two, ada, bob);
  const group = await api<{ id: string }>(two, 'POST', '/api/conversations', {
    cookie: ada.cookie,
    body: { kind: 'group', title: 'Climbing', memberIds: [bob.id] },
  });
  expect(group.status).toBe(201);
  const socket = await openSynced(two, convDocName(group.body.id), bob);
  const closed = closeCodeOf(socket, 1000);
  const started = performance.now();
  const removal = api(one, 'DELETE', `/api/conversations/${group.body.id}/members/${bob.id}`, { cookie: ada.cookie });
  expect((await closed).code).toBe(CloseCode.forbidden);
  expect(performance.now() - started).toBeLessThan(1000);
  const { rows } = await postgres.pool.query('SELECT user_id FROM memberships WHERE conversation_id = $1', [group.body.id]);
  expect(rows).toEqual([{ user_id: ada.id }]);
  // Relay one then writes the removal into the group's document, which relay two owns: the write travels there.
  expect((await removal).status).toBe(204);
  expect((await closeCodeOf(rawSocket(two, convDocName(group.body.id), { cookie: bob.cookie }))).code).toBe(CloseCode.forbidden);
});

/** Signs Ada (made through relay two) out through relay one; her socket on relay two must close with 4401 within 1 s. */
async function signOutAcrossRelays(one: RunningServer, two: RunningServer, beforeSignOut: () => void = () => {}): Promise<void> {
  const ada = await createUser(two, 'Ada');
  const socket = await openSynced(two, userDocName(ada.id), ada);
  beforeSignOut();
  const closed = closeCodeOf(socket, 1000);
  const started = performance.now();
  expect((await api(one, 'POST', '/api/auth/logout', { cookie: ada.cookie })).status).toBe(204);
  expect((await closed).code).toBe(CloseCode.unauthenticated);
  expect(performance.now() - started).toBeLessThan(1000);
}

it('cuts a signed-out session off on relay two within 1 s while Redis is down (through the revocation log)', async () => {
  const { relays: started, proxy: redisLink } = await startRelaysBehindProxy();
  const [one, two] = started;
  await signOutAcrossRelays(one, two, () => redisLink.down());
});

it('cuts a signed-out session off on relay two within 1 s with no Redis at all, relays sharing only PostgreSQL', async () => {
  const [one, two] = await startRelays(undefined);
  await signOutAcrossRelays(one, two);
});
