/**
 * Issue 11, test 6, with three relay processes: a member removed and a
 * session signed out through relay 1 are cut off on relays 2 and 3 (4403,
 * 4401) within 1 s; and again while Redis is down (a private Redis,
 * SIGKILLed), through the revocation log in PostgreSQL.
 */
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { convDocName, userDocName } from '../../../shared/doc-names.js';
import { CloseCode } from '../../../shared/protocol.js';
import { api } from '../../testing/api-call.js';
import { usePrivateRedis } from '../../testing/private-redis.js';
import { groupThrough, useRelayCluster } from '../../testing/relay-cluster.js';
import type { RelayProcess } from '../../testing/relay-process.js';
import type { ServerAddress } from '../../testing/server-address.js';
import { createUser, signIn, type TestUser } from '../../testing/test-users.js';

const privateRedis = usePrivateRedis();
const cluster = useRelayCluster();
const CUT_OFF_MS = 1000;

/** A socket bound to its document (the relay's first sync frame arrived), closed after the test. */
async function openBound(relay: ServerAddress, docName: string, user: Pick<TestUser, 'cookie'>): Promise<WebSocket> {
  const socket = new WebSocket(`${relay.url.replace(/^http/, 'ws')}/sync/${docName}`, { headers: { cookie: user.cookie } });
  cluster.track({ destroy: () => socket.terminate() });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${docName} was not bound within 20 s`)), 20_000);
    socket.once('message', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    socket.once('close', (code) => reject(new Error(`closed with ${code} before binding`)));
  });
  return socket;
}

/** The close code of each socket and the time from `act` to the last close, in ms (sockets not closed in 5 s fail). */
async function cutOff(sockets: WebSocket[], act: () => Promise<unknown>): Promise<{ codes: number[]; ms: number }> {
  const started = performance.now();
  let lastClose = started;
  const closes = sockets.map(
    (socket) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('a socket was not cut off within 5 s')), 5000);
        socket.once('close', (code) => {
          clearTimeout(timer);
          lastClose = Math.max(lastClose, performance.now());
          resolve(code);
        });
      }),
  );
  // The answer to the request itself is not the subject (a removal also writes the group's document); the cut-off is.
  const [codes] = await Promise.all([Promise.all(closes), act()]);
  return { codes, ms: lastClose - started };
}

/** Waits until nobody owns `docName` (polls PostgreSQL, bounded), opens it on `relay`, which so claims it, and checks that it did. */
async function openAsOwner(relay: RelayProcess, docName: string, user: Pick<TestUser, 'cookie'>): Promise<WebSocket> {
  const deadline = Date.now() + 15_000;
  for (let round = 0; round < 300 && Date.now() < deadline; round++) {
    const { rows } = await cluster.database.query('SELECT 1 FROM doc WHERE name = $1 AND owner IS NOT NULL', [docName]);
    if (rows.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const socket = await openBound(relay, docName, user);
  expect((await cluster.ownerOf(docName))?.name).toBe(relay.name);
  return socket;
}

/** Resolves with the close code a new socket of `user` to `docName` on `relay` gets. */
function refusal(relay: RelayProcess, docName: string, user: Pick<TestUser, 'cookie'>): Promise<number> {
  const socket = new WebSocket(`${relay.url.replace(/^http/, 'ws')}/sync/${docName}`, { headers: { cookie: user.cookie } });
  cluster.track({ destroy: () => socket.terminate() });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the socket was not refused within 10 s')), 10_000);
    socket.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

it('cuts off on relays 2 and 3, within 1 s of acting through relay 1, a removed member (4403) and a signed-out session (4401)', async () => {
  const redis = await privateRedis.start();
  const [one, two, three] = await cluster.start(3, { redisUrl: redis.url });
  const [ada, bob, cy] = [await createUser(one, 'Ada'), await createUser(one, 'Bob'), await createUser(one, 'Cy')];
  const groupId = await groupThrough(one, ada, [bob, cy]);
  // Each person's sockets on relays 2 and 3 (one of them the document's owner, the other its edge).
  const bobs = [await openBound(two, convDocName(groupId), bob), await openBound(three, convDocName(groupId), bob)];
  const cys = [await openBound(two, userDocName(cy.id), cy), await openBound(three, userDocName(cy.id), cy)];

  const removed = await cutOff(bobs, () => api(one, 'DELETE', `/api/conversations/${groupId}/members/${bob.id}`, { cookie: ada.cookie }));
  const signedOut = await cutOff(cys, () => api(one, 'POST', '/api/auth/logout', { cookie: cy.cookie }));
  console.info('cut off on relays 2 and 3 after (ms): removal', removed.ms, 'sign-out', signedOut.ms);
  expect(removed.codes).toEqual([CloseCode.forbidden, CloseCode.forbidden]);
  expect(signedOut.codes).toEqual([CloseCode.unauthenticated, CloseCode.unauthenticated]);
  expect(removed.ms).toBeLessThan(CUT_OFF_MS);
  expect(signedOut.ms).toBeLessThan(CUT_OFF_MS);
  for (const relay of [one, two, three]) expect((await api(relay, 'GET', '/api/me', { cookie: cy.cookie })).status).toBe(401);
}, 180_000);

// Without Redis a relay keeps only sockets of documents it owns (an edge's frames travel on Redis: its sockets close
// with 1013 within a check), so here relays 2 and 3 each own the document they hold; the cut-off travels through the
// revocation log in PostgreSQL.
it('cuts off on relays 2 and 3 within 1 s while Redis is down: a removed member (4403) and a signed-out session (4401)', async () => {
  const redis = await privateRedis.start();
  const [one, two, three] = await cluster.start(3, { redisUrl: redis.url });
  const [ada, dan] = [await createUser(one, 'Ada'), await createUser(one, 'Dan')];
  const groupId = await groupThrough(one, ada, [dan]);
  const directId = (
    await api<{ id: string }>(one, 'POST', '/api/conversations', { cookie: ada.cookie, body: { kind: 'direct', email: dan.email } })
  ).body.id;
  const adaAgain = await signIn(one, ada.email, ada.password);
  const adaAgains = [await openAsOwner(two, userDocName(ada.id), adaAgain), await openAsOwner(three, convDocName(directId), adaAgain)];
  const dans = [await openAsOwner(three, convDocName(groupId), dan)];
  // Opened first: while Redis is down a relay loads no document at all (see docs/SCALING.md, "Tests").
  await redis.kill();
  const removed = await cutOff(dans, () => api(one, 'DELETE', `/api/conversations/${groupId}/members/${dan.id}`, { cookie: ada.cookie }));
  const signedOut = await cutOff(adaAgains, () => api(one, 'POST', '/api/auth/logout', { cookie: adaAgain.cookie }));
  console.info('cut off without Redis after (ms): removal', removed.ms, 'sign-out', signedOut.ms);
  expect(removed.codes).toEqual([CloseCode.forbidden]);
  expect(signedOut.codes).toEqual([CloseCode.unauthenticated, CloseCode.unauthenticated]);
  expect(removed.ms).toBeLessThan(CUT_OFF_MS);
  expect(signedOut.ms).toBeLessThan(CUT_OFF_MS);
  // And neither comes back on any relay.
  for (const relay of [two, three]) {
    expect(await refusal(relay, convDocName(groupId), dan)).toBe(CloseCode.forbidden);
    expect(await refusal(relay, userDocName(ada.id), adaAgain)).toBe(CloseCode.unauthenticated);
  }
}, 180_000);
