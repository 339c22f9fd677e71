/**
 * `/metrics` of a cluster (real PostgreSQL and Redis, two relays in this
 * process): the owner counts the documents it owns and the refusal of a
 * forged update sent through the edge; the edge counts its documents, the
 * bus's reconnect after Redis dropped it and the gap refill that followed;
 * both count their lease renewals.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { textMessage, writeMessage } from '../../shared/testing/text-message.js';
import type { RunningServer } from '../server.js';
import { directConversation } from '../testing/direct-conversation.js';
import { sampleValue } from '../testing/prometheus-text.js';
import { openRawSession, type RawSession } from '../testing/raw-session.js';
import { scrapeMetrics as scrape, scrapeUntil } from '../testing/scrape-metrics.js';
import { startTestServer } from '../testing/start-test-server.js';
import { openDoc, type SyncedClient, whenSynced } from '../testing/synced-client.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser } from '../testing/test-users.js';
import { useTestRedis } from '../testing/use-test-redis.js';
import { useTestSchema } from '../testing/use-test-schema.js';
import { waitFor } from '../testing/wait-for.js';

const postgres = useTestSchema();
const redis = useTestRedis();
const relays: RunningServer[] = [];
const clients: SyncedClient[] = [];
const sessions: RawSession[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const session of sessions.splice(0)) session.close();
  for (const relay of relays.splice(0)) await relay.close();
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function startRelay(): Promise<RunningServer> {
  const dataDir = await makeTempDir();
  dirs.push(dataDir);
  const relay = await startTestServer({
    dataDir,
    postgres: { ...postgres.config, leaseMs: 2500 },
    redis: redis.config,
    metrics: { port: 0, host: '127.0.0.1', token: undefined },
  });
  relays.push(relay);
  return relay;
}

function open(relay: RunningServer, cookie: string, docName: string): SyncedClient {
  const client = openDoc(relay, { cookie }, docName, new Y.Doc(), { maxBackoffTime: 300 });
  clients.push(client);
  return client;
}

/** Has Redis drop the bus subscriber opened last in this test (relay two's), as a network failure would. */
async function dropNewestSubscriber(): Promise<void> {
  const admin = redis.connect();
  const prefix = `${redis.config.keyPrefix}subscriber:`;
  const named = String(await admin.client('LIST'))
    .split('\n')
    .map((line) => ({ id: /^id=(\d+) /.exec(line)?.[1], name: / name=(\S+) /.exec(line)?.[1] ?? '' }))
    .filter((client) => client.id && client.name.startsWith(prefix));
  const newest = named.sort((a, b) => Number(a.name.split(':').at(-1)) - Number(b.name.split(':').at(-1))).at(-1);
  if (!newest?.id) throw new Error('no bus subscriber found');
  await admin.client('KILL', 'ID', newest.id);
}

it('counts owned and edge documents, a refusal at the owner, a Redis reconnect and its gap refill at the edge, and lease renewals', async () => {
  const one = await startRelay();
  const two = await startRelay();
  const [alice, mallory] = [await createUser(one, 'Alice'), await createUser(one, 'Mallory')];
  const docName = convDocName(await directConversation(one, alice, mallory));
  const aliceOnOne = open(one, alice.cookie, docName);
  await whenSynced(aliceOnOne);
  const aliceOnTwo = open(two, alice.cookie, docName);
  const first = writeMessage(aliceOnOne.doc, alice.id, 'before');
  await waitFor(aliceOnTwo.doc, () => seqIndexOf(aliceOnTwo.doc).has(first.id), 10_000, 'the first message at the edge');

  // A forged update through the edge is refused by the owner's room, and counted there.
  const attacker = await openRawSession(two, mallory, docName);
  sessions.push(attacker);
  await attacker.synced;
  const forged = textMessage(alice.id, 'I owe Mallory 1000 €');
  attacker.write((doc) => messagesOf(doc).set(forged.id, forged));
  expect((await attacker.closed).code).toBe(CloseCode.invalidUpdate);
  const owner = await scrape(one);
  expect(sampleValue(owner, 'happychat_updates_refused_total', { rule: 'forged-author' })).toBe(1);
  // The conversation and the people's user documents (the server wrote their lists): owned and loaded, the same ones.
  expect(sampleValue(owner, 'happychat_documents_owned')).toBeGreaterThanOrEqual(1);
  expect(sampleValue(owner, 'happychat_documents_owned')).toBe(sampleValue(owner, 'happychat_documents_loaded'));
  expect(sampleValue(owner, 'happychat_commit_seconds_count', { outcome: 'stored' })).toBeGreaterThanOrEqual(1);
  const edgeBefore = await scrape(two);
  expect(sampleValue(edgeBefore, 'happychat_documents_edge')).toBe(1);
  expect(sampleValue(edgeBefore, 'happychat_documents_owned')).toBe(0);
  expect(sampleValue(edgeBefore, 'happychat_updates_refused_total', { rule: 'forged-author' })).toBe(0);
  const refillsBefore = sampleValue(edgeBefore, 'happychat_gap_refills_total') ?? 0;
  expect(sampleValue(edgeBefore, 'happychat_redis_reconnects_total')).toBe(0);

  await dropNewestSubscriber();
  const edgeAfter = await scrapeUntil(
    two,
    (m) =>
      (sampleValue(m, 'happychat_redis_reconnects_total') ?? 0) >= 1 &&
      (sampleValue(m, 'happychat_gap_refills_total') ?? 0) > refillsBefore,
    'a reconnect and a refill at the edge',
  );
  expect(sampleValue(edgeAfter, 'happychat_redis_reconnects_total')).toBe(1);
  const after = writeMessage(aliceOnOne.doc, alice.id, 'after the reconnect');
  await waitFor(aliceOnTwo.doc, () => seqIndexOf(aliceOnTwo.doc).has(after.id), 10_000, 'the later message at the edge');

  // Leases renew every 500 ms here (a fifth of 2.5 s); every outcome has its series from the first scrape on.
  for (const relay of [one, two]) {
    const renewed = await scrapeUntil(
      relay,
      (m) => (sampleValue(m, 'happychat_lease_renewals_total', { outcome: 'renewed' }) ?? 0) >= 2,
      'lease renewals',
    );
    for (const outcome of ['failed', 'lost'])
      expect(sampleValue(renewed, 'happychat_lease_renewals_total', { outcome })).toBeGreaterThanOrEqual(0);
  }
});
