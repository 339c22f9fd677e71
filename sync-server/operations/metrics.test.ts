/**
 * `/metrics` on a real server: clients on both endpoints write, a forged
 * update is refused, and the counters move (frames, refusals by rule, commit
 * latency), in a valid Prometheus exposition; each server counts its own;
 * the metrics are not served on the app's port, and a token is demanded
 * when one is set.
 */
import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { convDocName } from '../../shared/doc-names.js';
import { CloseCode } from '../../shared/protocol.js';
import { messagesOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { textMessage, writeMessage } from '../../shared/testing/text-message.js';
import { loadConfig } from '../config.js';
import type { RunningServer } from '../server.js';
import { directConversation } from '../testing/direct-conversation.js';
import { type MuxTestClient, openMux } from '../testing/mux-client.js';
import { sampleValue } from '../testing/prometheus-text.js';
import { openRawSession, type RawSession } from '../testing/raw-session.js';
import { scrapeMetrics as scrape, scrapeUntil } from '../testing/scrape-metrics.js';
import { startTestServer } from '../testing/start-test-server.js';
import { openDoc, type SyncedClient, whenSynced } from '../testing/synced-client.js';
import { makeTempDir, removeDir } from '../testing/temp-dir.js';
import { createUser } from '../testing/test-users.js';
import { waitFor } from '../testing/wait-for.js';
import type { MetricsConfig } from './metrics-listener.js';

const servers: RunningServer[] = [];
const dirs: string[] = [];
const closers: Array<() => void> = [];

afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function start(metrics: Partial<MetricsConfig> = {}): Promise<RunningServer> {
  const dataDir = await makeTempDir();
  dirs.push(dataDir);
  const server = await startTestServer({ dataDir, metrics: { port: 0, host: '127.0.0.1', token: undefined, ...metrics } });
  servers.push(server);
  return server;
}

function open(server: RunningServer, cookie: string, docName: string): SyncedClient {
  const client = openDoc(server, { cookie }, docName, new Y.Doc());
  closers.push(() => client.destroy());
  return client;
}

it('counts frames on both endpoints, a forged update by its rule and each commit, in a valid exposition', async () => {
  const server = await start();
  const [alice, mallory] = [await createUser(server, 'Alice'), await createUser(server, 'Mallory')];
  const docName = convDocName(await directConversation(server, alice, mallory));
  const before = await scrape(server);

  const aliceClient = open(server, alice.cookie, docName);
  await whenSynced(aliceClient);
  const mux: MuxTestClient = await openMux(server, mallory.cookie);
  closers.push(() => mux.ws.close());
  const malloryDoc = mux.subscribe(docName);
  const sent = [1, 2, 3].map((i) => writeMessage(aliceClient.doc, alice.id, `hello ${i}`));
  await waitFor(malloryDoc, () => sent.every((m) => seqIndexOf(malloryDoc).has(m.id)), 10_000, "Alice's messages over /mux");

  const attacker: RawSession = await openRawSession(server, mallory, docName);
  closers.push(() => attacker.close());
  await attacker.synced;
  const forged = textMessage(alice.id, 'I owe Mallory 1000 €');
  attacker.write((doc) => messagesOf(doc).set(forged.id, forged));
  expect((await attacker.closed).code).toBe(CloseCode.invalidUpdate);

  // The attacker's socket is gone once the server has seen it close too.
  const after = await scrapeUntil(server, (m) => sampleValue(m, 'happychat_connections', { endpoint: 'sync' }) === 1, 'one /sync socket');
  const grew = (name: string, labels: Record<string, string> = {}) =>
    (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
  expect(grew('happychat_frames_received_total', { endpoint: 'sync' })).toBeGreaterThanOrEqual(3);
  expect(grew('happychat_frames_sent_total', { endpoint: 'sync' })).toBeGreaterThan(0);
  expect(grew('happychat_frames_received_total', { endpoint: 'mux' })).toBeGreaterThan(0);
  // Three messages at least reached Mallory's multiplexed socket, each in a frame of its own or together with others.
  expect(grew('happychat_frames_sent_total', { endpoint: 'mux' })).toBeGreaterThan(0);
  expect(grew('happychat_updates_refused_total', { rule: 'forged-author' })).toBe(1);
  expect(sampleValue(after, 'happychat_updates_refused_total', { rule: 'server-only' })).toBe(0);
  // The messages were stored (each in a batch with its number; three written in one turn may share one batch).
  expect(grew('happychat_commit_seconds_count', { outcome: 'stored' })).toBeGreaterThanOrEqual(1);
  expect(sampleValue(after, 'happychat_commit_seconds_sum', { outcome: 'stored' })).toBeGreaterThan(0);
  expect(after.get('happychat_commit_seconds')?.type).toBe('histogram');
  expect(sampleValue(after, 'happychat_connections', { endpoint: 'mux' })).toBe(1);
  expect(sampleValue(after, 'happychat_documents_loaded')).toBeGreaterThanOrEqual(1);
  // prom-client's process metrics, and no cluster metrics on a single server.
  expect(sampleValue(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  expect(after.has('nodejs_eventloop_lag_seconds')).toBe(true);
  expect(after.has('happychat_documents_owned')).toBe(false);
  expect(after.has('happychat_redis_reconnects_total')).toBe(false);
});

it('keeps each server its own count: two servers in one process', async () => {
  const [one, two] = [await start(), await start()];
  const [alice, bob] = [await createUser(one, 'Alice'), await createUser(one, 'Bob')];
  const docName = convDocName(await directConversation(one, alice, bob));
  const client = open(one, alice.cookie, docName);
  await whenSynced(client);
  const message = writeMessage(client.doc, alice.id, 'only on one');
  await waitFor(client.doc, () => seqIndexOf(client.doc).has(message.id), 10_000, 'the message numbered');

  expect(sampleValue(await scrape(one), 'happychat_frames_received_total', { endpoint: 'sync' })).toBeGreaterThan(0);
  expect(sampleValue(await scrape(two), 'happychat_frames_received_total', { endpoint: 'sync' })).toBe(0);
  expect(sampleValue(await scrape(two), 'happychat_updates_refused_total', { rule: 'forged-author' })).toBe(0);
});

it("serves no metrics on the app's port", async () => {
  const server = await start();
  const response = await fetch(`${server.url}/metrics`);
  expect(await response.text()).not.toContain('happychat_');
  expect(new URL(server.metricsUrl ?? '').port).not.toBe(String(server.port));
  expect(new URL(server.metricsUrl ?? '').hostname).toBe('127.0.0.1');
});

it('refuses a scrape without the right bearer token when METRICS_TOKEN is set', async () => {
  const server = await start({ token: 'the-scrapers-secret' });
  const url = server.metricsUrl ?? '';
  for (const authorization of [undefined, 'Bearer wrong', 'Basic dGhlLXNjcmFwZXJzLXNlY3JldA==', 'Bearer the-scrapers-secre']) {
    const response = await fetch(url, { headers: authorization ? { authorization } : {} });
    expect(response.status, authorization).toBe(401);
    expect(await response.text()).not.toContain('happychat_');
  }
  const families = await scrape(server, { authorization: 'Bearer the-scrapers-secret' });
  expect(families.has('happychat_frames_received_total')).toBe(true);
  // Only the one path.
  expect((await fetch(url.replace('/metrics', '/'), { headers: { authorization: 'Bearer the-scrapers-secret' } })).status).toBe(404);
});

it('has no listener unless METRICS_PORT is set, and will not expose one beyond loopback without a token', () => {
  expect(loadConfig({}).metrics).toEqual({ port: null, host: '127.0.0.1', token: undefined });
  expect(loadConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1', token: undefined });
  expect(() => loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' })).toThrow(/METRICS_TOKEN/);
  expect(() => loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' })).toThrow(/METRICS_TOKEN/);
  expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: 'x' }).metrics.host).toBe('0.0.0.0');
});
