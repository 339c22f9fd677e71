/**
 * Two real servers sharing one Redis (REDIS_URL): a revocation published by
 * relay one closes the sockets relay two holds, within the 1 s the issue
 * asks; a sign-out is published for every relay; rate limits and widget
 * tickets are shared. Each relay has its own DATA_DIR: LevelDB is one
 * process's, so a person's session lives in the store of the relay they
 * signed up on. Until sessions and memberships move to PostgreSQL
 * (docs/SCALING.md, "Redis"), relay one cannot sign out a session it does
 * not know; so the revocation relay one publishes is its named command,
 * `context.revoker.revoke`, the very call its sign-out makes.
 */
import { afterEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { userDocName, convDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { loadConfig, type ServerConfig } from '../config.js';
import type { Revocation } from '../relay/revocation.js';
import type { RunningServer } from '../server.js';
import { api } from '../testing/api-call.js';
import { directConversation } from '../testing/direct-conversation.js';
import { quietLogger } from '../testing/quiet-logger.js';
import { closeCodeOf, rawSocket } from '../testing/raw-socket.js';
import { startTestServer } from '../testing/start-test-server.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser, type TestUser } from '../testing/test-users.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import { revocationChannel } from './bus-channels.js';
import { RedisClusterBus } from './redis-cluster-bus.js';

const redis = useTestRedis();
const running: { server: RunningServer; dir: string }[] = [];

afterEach(async () => {
  for (const { server, dir } of running.splice(0)) {
    await server.close();
    await removeDir(dir);
  }
});

/** A relay of the cluster: its own DATA_DIR, the test's Redis prefix. */
async function startRelay(overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const dir = await makeTempDir();
  const server = await startTestServer({ dataDir: dir, redis: redis.config, ...overrides });
  running.push({ server, dir });
  return server;
}

async function openSocket(server: RunningServer, docName: string, user: TestUser): Promise<WebSocket> {
  const socket = rawSocket(server, docName, { cookie: user.cookie });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

async function sessionIdOf(server: RunningServer, user: TestUser): Promise<string> {
  const token = decodeURIComponent(user.cookie.slice(user.cookie.indexOf('=') + 1));
  const valid = await server.context.sessions.validate(token);
  if (!valid) throw new Error('no such session');
  return valid.session.id;
}

/** Closes within the issue's bound: 1 s from the revocation to the close frame. */
async function closedWithin1s(socket: WebSocket, revoke: () => void): Promise<{ code: number; elapsedMs: number }> {
  const closed = closeCodeOf(socket, 1000);
  const started = performance.now();
  revoke();
  const { code } = await closed;
  return { code, elapsedMs: performance.now() - started };
}

it("closes a session's sockets on relay two with 4401 within 1 s when relay one revokes it", async () => {
  const [one, two] = [await startRelay(), await startRelay()];
  const ada = await createUser(two, 'Ada');
  const socket = await openSocket(two, userDocName(ada.id), ada);
  const sessionId = await sessionIdOf(two, ada);
  const { code, elapsedMs } = await closedWithin1s(socket, () => one.context.revoker.revoke({ kind: 'session-ended', sessionId }));
  expect(code).toBe(CloseCode.unauthenticated);
  expect(elapsedMs).toBeLessThan(1000);
});

it("closes a removed member's sockets on relay two with 4403 within 1 s, and nobody else's", async () => {
  const [one, two] = [await startRelay(), await startRelay()];
  const ada = await createUser(two, 'Ada');
  const bob = await createUser(two, 'Bob');
  const id = await directConversation(two, ada, bob);
  const adasSocket = await openSocket(two, convDocName(id), ada);
  const bobsSocket = await openSocket(two, convDocName(id), bob);
  const { code, elapsedMs } = await closedWithin1s(bobsSocket, () =>
    one.context.revoker.revoke({ kind: 'member-removed', conversationId: id, userId: bob.id }),
  );
  expect(code).toBe(CloseCode.forbidden);
  expect(elapsedMs).toBeLessThan(1000);
  // One revocation is applied in one pass over the relay's sockets: Ada's was looked at and kept.
  expect(adasSocket.readyState).toBe(adasSocket.OPEN);
});

it('publishes a sign-out for every relay, and closes the local sockets itself', async () => {
  const one = await startRelay();
  const heard: Revocation[] = [];
  let arrived = () => {};
  const published = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  // A third relay's bus, listening as every relay does.
  const listener = new RedisClusterBus(redis.connect(), redis.connect('subscriber'), redis.config.keyPrefix, quietLogger);
  await listener.subscribe(revocationChannel, (revocation) => {
    heard.push(revocation);
    arrived();
  });
  const ada = await createUser(one, 'Ada');
  const sessionId = await sessionIdOf(one, ada);
  const socket = await openSocket(one, userDocName(ada.id), ada);
  const closed = closeCodeOf(socket, 1000);
  expect((await api(one, 'POST', '/api/auth/logout', { cookie: ada.cookie })).status).toBe(204);
  expect((await closed).code).toBe(CloseCode.unauthenticated);
  await published;
  expect(heard).toEqual([{ kind: 'session-ended', sessionId }]);
  await listener.close();
});

it('shares rate limits between relays: failed sign-ins on both count against one limit', async () => {
  const rateLimits = { ...loadConfig({}).rateLimits, loginPerAccount: { limit: 3, windowMs: 60_000 } };
  const relays = [await startRelay({ rateLimits }), await startRelay({ rateLimits })];
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    const server = relays[attempt % 2];
    const response = await api(server, 'POST', '/api/auth/login', {
      body: { email: 'nobody@example.com', password: 'wrong password here' },
    });
    statuses.push(response.status);
  }
  expect(statuses).toEqual([401, 401, 401, 429]);
});

it('makes a widget ticket single-use across relays: issued on one, redeemed on two, then refused on one', async () => {
  const [one, two] = [await startRelay(), await startRelay()];
  const identity = { userId: 'guestaaaaaaaaaaaaaaaaaaa', sessionId: 'visitor:guestaaaaaaaaaaaaaaaaaaa' };
  const { ticket } = await one.context.widget.tickets.issue(identity);
  expect(await two.context.widget.tickets.consume(ticket)).toEqual(identity);
  const socket = rawSocket(one, `conv/${'x'.repeat(24)}?ticket=${ticket}`);
  expect((await closeCodeOf(socket)).code).toBe(CloseCode.unauthenticated);
});
