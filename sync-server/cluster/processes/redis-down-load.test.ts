/**
 * Issue 11: "a Redis crash may cost latency, never data" (docs/SCALING.md,
 * "Redis"). With Redis down (a private one, SIGKILLed), a relay still loads
 * a document nobody owns, claims it and serves its own sockets; a client on
 * another relay (an edge, whose frames travel on Redis) is told 1013 and
 * keeps trying, and once Redis is back it gets what was written meanwhile
 * and what is written after.
 */
import { expect, it } from 'vitest';
import { convDocName } from '../../../shared/doc-names.js';
import { CloseCode } from '../../../shared/protocol.js';
import { messagesOf } from '../../../shared/schema.js';
import { writeMessage } from '../../../shared/testing/text-message.js';
import { usePrivateRedis } from '../../testing/private-redis.js';
import { groupThrough, nextClose, useRelayCluster } from '../../testing/relay-cluster.js';
import { closeCodesOf, type SyncedClient, whenSynced } from '../../testing/synced-client.js';
import { createUser } from '../../testing/test-users.js';
import { waitFor } from '../../testing/wait-for.js';

const privateRedis = usePrivateRedis();
const cluster = useRelayCluster();

/** Polls PostgreSQL (every 50 ms, at most `timeoutMs`) until no relay owns `docName`: the next socket loads it afresh. */
async function waitUntilUnowned(docName: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; round <= timeoutMs / 50 && Date.now() < deadline; round++) {
    const { rows } = await cluster.database.query('SELECT 1 FROM doc WHERE name = $1 AND owner IS NOT NULL', [docName]);
    if (rows.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${docName} was still owned after ${timeoutMs} ms`);
}

/** Polls the PostgreSQL log (every 100 ms, at most `timeoutMs`) until it holds message `id`. */
async function waitUntilStored(docName: string, id: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let round = 0; round <= timeoutMs / 100 && Date.now() < deadline; round++) {
    if (messagesOf(await cluster.stored(docName)).has(id)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`message ${id} was not stored within ${timeoutMs} ms`);
}

/** `whenSynced`, failing after `timeoutMs` (a refused socket would otherwise retry until the test's own timeout). */
function synced(client: SyncedClient, what: string, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not sync within ${timeoutMs} ms`)), timeoutMs);
    void whenSynced(client).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

it('loads and syncs a document nobody owns while Redis is down; an edge on another relay catches up once Redis is back', async () => {
  const redis = await privateRedis.start();
  const [one, two] = await cluster.start(2, { redisUrl: redis.url });
  const [ada, bob] = [await createUser(one, 'Ada'), await createUser(one, 'Bob')];
  const docName = convDocName(await groupThrough(one, ada, [bob]));
  await waitUntilUnowned(docName);

  await redis.kill();
  const adas = cluster.open(two, ada, docName);
  const bobs = cluster.open(two, bob, docName);
  const closes = closeCodesOf(adas);
  await Promise.all([synced(adas, "Ada's socket"), synced(bobs, "Bob's socket")]);
  expect((await cluster.ownerOf(docName))?.name).toBe(two.name);
  const during = writeMessage(adas.doc, ada.id, 'written while Redis is down');
  await waitFor(bobs.doc, () => messagesOf(bobs.doc).has(during.id), 10_000, 'the message on the other socket of the owner');
  await waitUntilStored(docName, during.id);

  // Another relay cannot serve it meanwhile: an edge reaches the owner only over Redis, so its socket is told 1013 (try
  // again later) at once, and the client keeps trying.
  const edge = cluster.open(one, bob, docName);
  expect(await nextClose(edge, 10_000)).toBe(CloseCode.tryAgainLater);
  expect(edge.provider.synced).toBe(false);
  // Its log says what failed, not only Redis's error.
  expect(one.recentWarnings).toContain(`serving ${docName} as an edge of relay`);

  // Redis returns on the same port; the relays reconnect by themselves (backoff capped at 200 ms here), and the edge
  // client's next attempt is served.
  await redis.start();
  await synced(edge, 'the edge');
  await waitFor(edge.doc, () => messagesOf(edge.doc).has(during.id), 10_000, 'the earlier message at the edge');
  const after = writeMessage(adas.doc, ada.id, 'written after Redis is back');
  await waitFor(edge.doc, () => messagesOf(edge.doc).has(after.id), 10_000, 'the later message at the edge');
  // Neither refused nor closed on the way: the owner's socket lived through the outage.
  expect(closes).toEqual([]);
}, 120_000);
