/**
 * The client: the production bundle's size (gzip), and in Chromium the time
 * to show a 5,000-message conversation's newest 50 messages, from IndexedDB
 * with the network off and over the network on first open, with the
 * document's size. Ours only: the reference is a relay without an app.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import * as Y from 'yjs';
import { seqIndexOf } from '../../shared/seq-index.js';
import { measureBundle, type BundleSizes } from '../client/bundle-size.js';
import { timeConversation, type ConversationTimings } from '../client/conversation-timing.js';
import { buildClient } from '../client/production-build.js';
import { addMessages, textFor } from '../load/messages.js';
import { roomSourceFor } from '../load/rooms.js';
import { until, withTimeout } from '../load/waiting.js';
import type { Row, ScenarioResult } from '../report/rows.js';
import { median } from '../report/stats.js';
import { RelayProcess } from '../servers/relay-process.js';

const MESSAGES = 5_000;
const BATCH = 500;
const COLD_REPEATS = 2;
const OFFLINE_REPEATS = 3;
const APP_ONLY = 'n/a (relay only)';

export async function clientApp(): Promise<ScenarioResult> {
  const clientDir = await buildClient();
  try {
    const bundle = await measureBundle(clientDir);
    const failures: string[] = [];
    let browser: { timings: ConversationTimings; documentBytes: number } | null = null;
    try {
      browser = await measureInBrowser(clientDir);
    } catch (error) {
      failures.push(`browser timing: ${error instanceof Error ? error.message : String(error)}`);
    }
    return { name: 'client', rows: rowsOf(bundle, browser), raw: { bundle, browser, messages: MESSAGES }, failures };
  } finally {
    await rm(path.dirname(clientDir), { recursive: true, force: true });
  }
}

/** Our server serving the build, one conversation of MESSAGES messages from both members, timed in Chromium. */
async function measureInBrowser(clientDir: string): Promise<{ timings: ConversationTimings; documentBytes: number }> {
  const relay = await RelayProcess.start('happy-chat', { CLIENT_DIR: clientDir });
  try {
    const [room] = await roomSourceFor(relay).rooms(1);
    const writers = [room.connect(0), room.connect(1)];
    await Promise.all(writers.map((writer) => withTimeout(writer.synced, 30_000, 'writer sync')));
    for (let n = 0; n < MESSAGES; n += BATCH) {
      const who = (n / BATCH) % 2;
      addMessages(writers[who].doc, room.authorOf(who), n, BATCH);
      await withTimeout(writers[who].roundTrip(), 30_000, 'fill round trip');
    }
    if (!(await until(() => writers.every((writer) => seqIndexOf(writer.doc).size === MESSAGES), 30_000))) {
      throw new Error('the conversation was not fully sequenced');
    }
    const documentBytes = Y.encodeStateAsUpdate(writers[0].doc).byteLength;
    for (const writer of writers) writer.close();
    const timings = await timeConversation({
      baseUrl: relay.url,
      person: room.members[0],
      newestText: textFor(MESSAGES - 1),
      coldRepeats: COLD_REPEATS,
      offlineRepeats: OFFLINE_REPEATS,
    });
    return { timings, documentBytes };
  } finally {
    await relay.stop();
  }
}

function rowsOf(bundle: BundleSizes, browser: { timings: ConversationTimings; documentBytes: number } | null): Row[] {
  const kib = (bytes: number) => bytes / 1024;
  const scenario = 'client: production bundle (gzip)';
  const conversation = `client: ${MESSAGES.toLocaleString('en-US')}-message conversation in Chromium`;
  return [
    {
      scenario,
      metric: 'JS loaded by index.html',
      unit: 'KiB',
      ours: kib(bundle.initialJsGzip),
      reference: APP_ONLY,
      target: { kind: 'at-most', value: 60 },
    },
    {
      scenario,
      metric: 'all JS (lazy chunks too, no SW)',
      unit: 'KiB',
      ours: kib(bundle.allJsGzip),
      reference: APP_ONLY,
      target: { kind: 'at-most', value: 60 },
    },
    { scenario, metric: 'CSS', unit: 'KiB', ours: kib(bundle.cssGzip), reference: APP_ONLY, note: 'component styles live in the JS (Lit)' },
    {
      scenario,
      metric: 'index.html / service worker',
      unit: 'KiB',
      ours: kib(bundle.htmlGzip + bundle.serviceWorkerGzip),
      reference: APP_ONLY,
    },
    {
      scenario: conversation,
      metric: 'document size',
      unit: 'KiB',
      ours: browser ? kib(browser.documentBytes) : null,
      reference: APP_ONLY,
    },
    {
      scenario: conversation,
      metric: 'offline reload → newest 50 shown',
      unit: 'ms',
      ours: browser ? median(browser.timings.offlineReloadMs) : null,
      reference: APP_ONLY,
      note: `median of ${OFFLINE_REPEATS}; from navigation start, shell from the service worker, data from IndexedDB`,
    },
    {
      scenario: conversation,
      metric: 'first open (cold sync) → newest 50 shown',
      unit: 'ms',
      ours: browser ? median(browser.timings.coldSyncMs) : null,
      reference: APP_ONLY,
      note: `median of ${COLD_REPEATS} fresh profiles; from the click in the conversation list`,
    },
    {
      scenario: conversation,
      metric: 'bytes received on first open',
      unit: 'KiB',
      ours: browser ? kib(browser.timings.coldSyncSocketBytes) : null,
      reference: APP_ONLY,
    },
  ];
}
