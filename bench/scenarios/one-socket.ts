/**
 * One socket for many documents (issue 12): one person with DOCS documents
 * (their own and DOCS - 1 direct conversations) synced over a socket each
 * (`/sync/<doc>`, the app before) and over one multiplexed socket (`/mux`,
 * the app now). Measured in a fresh relay process each time (RSS after a
 * full GC, as idle-capacity does): the relay's memory per document, and
 * what a reconnect of all of them costs (frames and bytes, both ways) when
 * nothing changed meanwhile. Our relay only: the reference has no `/mux`.
 */
import { convDocName, userDocName } from '../../shared/doc-names.js';
import { directConversation } from '../../sync-server/testing/direct-conversation.js';
import { MuxTestClient } from '../../sync-server/testing/mux-client.js';
import { createUser } from '../../sync-server/testing/test-users.js';
import { inBatches } from '../load/rooms.js';
import { SyncClient } from '../load/sync-client.js';
import { sleep, until, withTimeout } from '../load/waiting.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { RelayProcess } from '../servers/relay-process.js';

const DOCS = 100;

export async function oneSocket(): Promise<ScenarioResult> {
  const relay = await RelayProcess.start('happy-chat');
  const failures: string[] = [];
  const raw: Record<string, number> = {};
  try {
    const dataDir = relay.dataDir ?? '';
    const address = () => ({ url: relay.url, dataDir });
    const hub = await createUser(address(), 'Hub');
    const friends = await inBatches(
      Array.from({ length: DOCS - 1 }, (_, i) => i),
      8,
      (i) => createUser(address(), `Friend ${i + 1}`),
    );
    const names = [
      userDocName(hub.id),
      ...(await inBatches(friends, 4, (friend) => directConversation(address(), hub, friend))).map(convDocName),
    ];
    const headers = () => ({ cookie: hub.cookie, origin: relay.url });

    // A socket per document.
    await relay.restart();
    let base = await relay.rssAfterGc();
    let baseHeap = await relay.heapAfterGc();
    const perDocument = names.map(
      (name) => new SyncClient({ url: `${relay.url.replace(/^http/, 'ws')}/sync/${name}`, headers: headers(), awareness: false }),
    );
    await withTimeout(Promise.all(perDocument.map((client) => client.synced)), 60_000, 'every per-document socket synced');
    await sleep(300);
    raw.perDocumentSocketsRss = (await relay.rssAfterGc()) - base;
    raw.perDocumentSocketsHeap = (await relay.heapAfterGc()) - baseHeap;
    for (const client of perDocument) client.close();

    // One socket.
    await relay.restart();
    base = await relay.rssAfterGc();
    baseHeap = await relay.heapAfterGc();
    const first = new MuxTestClient({ url: relay.url }, headers());
    await first.opened;
    for (const name of names) first.subscribe(name);
    if (!(await until(() => first.syncedDocs.size === names.length, 60_000)))
      throw new Error(`${first.syncedDocs.size} of ${names.length} synced over /mux`);
    await sleep(300);
    raw.oneSocketRss = (await relay.rssAfterGc()) - base;
    raw.oneSocketHeap = (await relay.heapAfterGc()) - baseHeap;
    raw.firstSyncBytesDown = first.bytesReceived;
    first.close();
    await first.socketClosed;

    // Reconnect with nothing changed: one subscribe per document, with its state vector.
    const again = new MuxTestClient({ url: relay.url }, headers());
    await again.opened;
    const started = performance.now();
    for (const name of names) again.subscribe(name, first.docs.get(name));
    if (!(await until(() => again.syncedDocs.size === names.length, 60_000)))
      throw new Error(`${again.syncedDocs.size} of ${names.length} resynced`);
    raw.reconnectMs = performance.now() - started;
    await sleep(300);
    raw.reconnectBytesUp = again.bytesSent;
    raw.reconnectBytesDown = again.bytesReceived;
    raw.reconnectFramesDown = again.frames.length;
    again.close();
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  } finally {
    await relay.stop();
  }
  const kib = (bytes: number | undefined) => (bytes === undefined ? null : bytes / 1024);
  const perDoc = (bytes: number | undefined) => kib(bytes === undefined ? undefined : bytes / DOCS);
  const rows: Row[] = [
    {
      scenario: `one person, ${DOCS} documents`,
      metric: 'relay heap per document: a socket each',
      unit: 'KiB',
      ours: perDoc(raw.perDocumentSocketsHeap),
      reference: null,
      note: '/sync/<doc>, the app before issue 12; V8 heap after a full GC',
    },
    {
      scenario: `one person, ${DOCS} documents`,
      metric: 'relay heap per document: one /mux socket',
      unit: 'KiB',
      ours: perDoc(raw.oneSocketHeap),
      reference: null,
      note: 'the app now',
    },
    {
      scenario: `one person, ${DOCS} documents`,
      metric: 'relay RSS per document: a socket each',
      unit: 'KiB',
      ours: kib(raw.perDocumentSocketsRss === undefined ? undefined : raw.perDocumentSocketsRss / DOCS),
      reference: null,
      note: '/sync/<doc>, the app before issue 12',
    },
    {
      scenario: `one person, ${DOCS} documents`,
      metric: 'relay RSS per document: one /mux socket',
      unit: 'KiB',
      ours: kib(raw.oneSocketRss === undefined ? undefined : raw.oneSocketRss / DOCS),
      reference: null,
      note: 'the app now',
    },
    {
      scenario: `one person, ${DOCS} documents`,
      metric: 'reconnect, nothing changed: bytes down per document',
      unit: 'bytes',
      ours: raw.reconnectBytesDown === undefined ? null : raw.reconnectBytesDown / DOCS,
      reference: null,
      note: `its step 1 and an empty step 2; up: ${raw.reconnectBytesUp === undefined ? '?' : Math.round(raw.reconnectBytesUp / DOCS)} bytes per document`,
    },
    {
      scenario: `one person, ${DOCS} documents`,
      metric: 'reconnect, nothing changed: all synced',
      unit: 'ms',
      ours: raw.reconnectMs ?? null,
      reference: null,
      note: 'one handshake, one subscribe per document',
    },
  ];
  return { name: 'one-socket', rows, raw: { docs: DOCS, ...raw }, failures };
}
