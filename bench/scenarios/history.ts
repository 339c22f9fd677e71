/**
 * History segments (issue 13, docs/SEGMENTS.md): a 100,000-message
 * conversation opened in Chromium on a fresh device, in segments (the
 * product's bounds: 1,000 messages or 512 KiB) and, in the same run on
 * another relay, as one whole document (rollover off) for comparison. For
 * each: the time from the click to the newest 50 shown, the bytes the
 * page's socket received, and the relay's CPU time and RSS growth to serve
 * that first open from unloaded (every document unloaded before the click;
 * CPU from the click, and from the page load with sign-in and the list).
 * In segments also: each older segment's time from the scroll that asks for
 * it to its newest message shown (three segments back).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CDPSession, chromium, expect, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/environment.js';
import { parseDocName, segmentDocName } from '../../shared/doc-names.js';
import { newestSegmentOf, segmentsOf } from '../../shared/schema.js';
import { seqIndexOf } from '../../shared/seq-index.js';
import { buildClient } from '../client/production-build.js';
import { addMessages, textFor } from '../load/messages.js';
import { type BenchRoom, roomSourceFor } from '../load/rooms.js';
import { SyncClient } from '../load/sync-client.js';
import { until, withTimeout } from '../load/waiting.js';
import type { Row, ScenarioResult, Unit } from '../report/rows.js';
import { RelayProcess } from '../servers/relay-process.js';

const MESSAGES = Number(process.env.BENCH_HISTORY_MESSAGES ?? 100_000);
/** BENCH_HISTORY_SEGMENTED_ONLY=1 leaves out the whole-document comparison (minutes on a busy machine), for before/after runs of the segmented path. */
const SEGMENTED_ONLY = process.env.BENCH_HISTORY_SEGMENTED_ONLY === '1';
/** A folder to write the page's and the relay's CPU profiles to (first open, each older segment), as `.cpuprofile` files for DevTools. */
const PROFILE_DIR = process.env.BENCH_HISTORY_PROFILE;
/** A folder to write the page's Chromium performance trace of the first open and of each older segment to (style, layout, paint; DevTools' Performance panel opens it). */
const TRACE_DIR = process.env.BENCH_HISTORY_TRACE;
const BATCH = 500;
const SHOWN = 50;
const OLDER_SEGMENTS = 3;
const STEP_TIMEOUT_MS = 60_000;
/**
 * The fill writes 100,000 messages through one socket, a batch and a round trip at a time: two sync frames per batch,
 * 400 in all. Unpaced (the whole document has no rollover to wait for) and on a quiet machine that outran the
 * relay's per-connection update limit (200 at once, 50 a second) and was closed with 4429 (session 10). The limit
 * stands for a person; the fill stands for months of a group's writers, so it is lifted for both relays alike.
 */
const FILL_LIMITS = {
  RELAY_UPDATE_BURST: '1000000',
  RELAY_UPDATES_PER_SECOND: '1000000',
  RELAY_USER_UPDATE_BURST: '1000000',
  RELAY_USER_UPDATES_PER_SECOND: '1000000',
};
const SEGMENTED = { ...FILL_LIMITS, HISTORY_SEGMENT_MESSAGES: '1000', HISTORY_SEGMENT_BYTES: String(512 * 1024) };
const WHOLE = { ...FILL_LIMITS, HISTORY_SEGMENT_MESSAGES: '0', HISTORY_SEGMENT_BYTES: '0' };

interface FirstOpen {
  shownMs: number;
  receivedBytes: number;
  /** From the click to the newest 50 shown. */
  relayCpuMs: number;
  /** From before the page loaded: the app's files, sign-in (a password hash), the list, then the first open. */
  relayCpuFromPageLoadMs: number;
  relayRssGrowthBytes: number;
  olderSegmentMs: number[];
  segments: number;
}

export async function history(): Promise<ScenarioResult> {
  const clientDir = await buildClient();
  const failures: string[] = [];
  const measured: Record<'segmented' | 'whole', FirstOpen | null> = { segmented: null, whole: null };
  try {
    for (const [kind, env] of [['segmented', SEGMENTED], ...(SEGMENTED_ONLY ? [] : [['whole', WHOLE] as const])] as const) {
      try {
        measured[kind] = await measure(clientDir, env, kind === 'segmented');
      } catch (error) {
        failures.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await rm(path.dirname(clientDir), { recursive: true, force: true });
  }
  return { name: 'history', rows: rowsOf(measured), raw: { ...measured, messages: MESSAGES }, failures };
}

async function measure(clientDir: string, env: Record<string, string>, segmented: boolean): Promise<FirstOpen> {
  const relay = await RelayProcess.start('happy-chat', { CLIENT_DIR: clientDir, ...env });
  try {
    const [room] = await roomSourceFor(relay).rooms(1);
    const firstSeqs = await fill(relay, room, segmented);
    // Every document unloaded (DOC_UNLOAD_GRACE_MS is short in the bench), then the relay's baseline.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const rssBefore = await relay.rssAfterGc();
    const cpuBefore = await relay.cpuMs();
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext({ baseURL: relay.url, viewport: { width: 1280, height: 800 } });
      // The first open is measured cold: background sync (the inbox scenario measures it) may otherwise bring the
      // conversation up to date between the list showing and the click, and the open then reads it from IndexedDB.
      // The switch is BACKGROUND_SYNC_KEY of client/data/sync/background-sync.ts (a module for the page, not Node).
      await context.addInitScript(() => localStorage.setItem('happychat.background-sync', 'off'));
      const page = await context.newPage();
      let receivedBytes = 0;
      let counting = false;
      page.on('websocket', (socket) =>
        socket.on('framereceived', ({ payload }) => {
          if (counting) receivedBytes += typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
        }),
      );
      await signIn(page, room.members[0]);
      counting = true;
      const profiler = await PageProfiler.start(page, segmented ? 'segments' : 'whole');
      const relayProfile = (label: string) =>
        PROFILE_DIR ? path.join(PROFILE_DIR, `relay-${segmented ? 'segments' : 'whole'}-${label}.cpuprofile`) : null;
      const cpuAtClick = await relay.cpuMs();
      const shownMs = await relay.profile(relayProfile('first-open'), () =>
        profiler.around('first-open', () => traced(page, 'first-open', () => timeFirstOpen(page, textFor(MESSAGES - 1)))),
      );
      // The relay's share of that open: what it did from the click until the page showed the newest 50.
      const cpuAtShown = await relay.cpuMs();
      const relayCpuMs = cpuAtShown - cpuAtClick;
      const relayCpuFromPageLoadMs = cpuAtShown - cpuBefore;
      const relayRssGrowthBytes = (await relay.rss()) - rssBefore;
      const bytes = receivedBytes;
      const olderSegmentMs: number[] = [];
      if (segmented) {
        // A rollover after the last batch leaves the newest segment empty: the run of pages starts in the one before.
        const last = firstSeqs.length - 1;
        const newest = (firstSeqs[last] ?? 1) > MESSAGES ? last - 1 : last;
        for (let k = 1; k <= OLDER_SEGMENTS && newest - k >= 1; k++) {
          const start = firstSeqs[newest - k + 1] ?? 1;
          const label = `older-${k}`;
          olderSegmentMs.push(
            await relay.profile(relayProfile(label), () => timeOlderSegment(page, textFor(start - 1), textFor(start - 2), profiler, label)),
          );
        }
      }
      await context.close();
      return {
        shownMs,
        receivedBytes: bytes,
        relayCpuMs,
        relayCpuFromPageLoadMs,
        relayRssGrowthBytes,
        olderSegmentMs,
        segments: firstSeqs.length - 1,
      };
    } finally {
      await browser.close();
    }
  } finally {
    await relay.stop();
  }
}

/**
 * Writes MESSAGES messages, BATCH at a time, into the newest segment (or the
 * one document), following the list after each rollover. Returns each
 * segment's first number by segment (index 0 unused when it starts in 1).
 */
async function fill(relay: RelayProcess, room: BenchRoom, segmented: boolean): Promise<number[]> {
  const parsed = parseDocName(room.docName);
  if (parsed?.kind !== 'conv') throw new Error(`not a conversation: ${room.docName}`);
  const open = (docName: string) =>
    new SyncClient({
      url: `${relay.url.replace(/^http/, 'ws')}/sync/${docName}`,
      headers: { cookie: room.members[0]?.cookie ?? '', origin: relay.url },
    });
  const head = open(room.docName);
  await withTimeout(head.synced, 30_000, 'conv/<id> sync');
  if (segmented && !(await until(() => segmentsOf(head.doc).has('1'), 10_000))) throw new Error('no segment 1 in a new conversation');
  let segment = newestSegmentOf(head.doc).segment;
  let writer = segment === 0 ? head : open(segmentDocName(parsed.id, segment));
  await withTimeout(writer.synced, 30_000, 'segment sync');
  /** Messages written into the current writer's document (each gets its number there). */
  let writtenHere = 0;
  for (let n = 0; n < MESSAGES; n += BATCH) {
    const count = Math.min(BATCH, MESSAGES - n);
    addMessages(writer.doc, room.authorOf(0), n, count);
    writtenHere += count;
    await withTimeout(writer.roundTrip(), 60_000, 'fill round trip');
    const current = writer;
    if (!(await until(() => seqIndexOf(current.doc).size >= writtenHere, 60_000)))
      throw new Error(`messages up to ${n + count} not numbered`);
    // A rollover after this batch: the next one goes into the new segment (once the list says so).
    await until(() => newestSegmentOf(head.doc).segment > segment, segmented ? 200 : 0);
    if (newestSegmentOf(head.doc).segment > segment) {
      if (writer !== head) writer.close();
      segment = newestSegmentOf(head.doc).segment;
      writer = open(segmentDocName(parsed.id, segment));
      writtenHere = 0;
      await withTimeout(writer.synced, 30_000, 'segment sync');
    }
  }
  const firstSeqs: number[] = [1];
  segmentsOf(head.doc).forEach((entry, key) => (firstSeqs[Number(key)] = entry.firstSeq));
  if (writer !== head) writer.close();
  head.close();
  return firstSeqs;
}

async function signIn(page: Page, person: { email: string; password: string }): Promise<void> {
  await page.goto('/');
  await page.getByTestId('signin-email').fill(person.email);
  await page.getByTestId('signin-password').fill(person.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('conversation-item').first().waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Clicks the conversation and returns the in-page time until the newest 50 are shown. */
async function timeFirstOpen(page: Page, newestText: string): Promise<number> {
  await page.getByTestId('conversation-item').first().waitFor();
  const clickedAt = await page.evaluate(() => performance.now());
  await page.getByTestId('conversation-item').first().click();
  const shownAt = await page.waitForFunction(
    ({ text, shown }) => {
      const messages: Element[] = [];
      const roots: Array<Document | ShadowRoot> = [document];
      for (let root = roots.pop(); root; root = roots.pop()) {
        root.querySelectorAll('[data-testid="message"]').forEach((e) => messages.push(e));
        root.querySelectorAll('*').forEach((e) => e.shadowRoot && roots.push(e.shadowRoot));
      }
      if (messages.length < shown) return false;
      return messages.some((m) => m.textContent?.includes(text)) ? performance.now() : false;
    },
    { text: newestText, shown: SHOWN },
    { polling: 'raf', timeout: STEP_TIMEOUT_MS },
  );
  return ((await shownAt.jsonValue()) as number) - clickedAt;
}

/**
 * Pages up (all in memory) until `oldestLoaded` is rendered, then times one
 * scroll to the top until `previousNewest`, the newest message of the
 * segment before, is rendered: the segment's fetch, merge and render.
 */
async function timeOlderSegment(
  page: Page,
  oldestLoaded: string,
  previousNewest: string,
  profiler: PageProfiler,
  label: string,
): Promise<number> {
  const list = page.locator('chat-message-list');
  const rendered = (text: string) => page.getByTestId('message-text').getByText(text, { exact: true });
  for (let i = 0; i < 40 && (await rendered(oldestLoaded).count()) === 0; i++) {
    const firstShown = () => page.getByTestId('message').first().getAttribute('data-message-id');
    const before = await firstShown();
    await list.evaluate((element) => (element.scrollTop = 0));
    // Each scroll to the top renders the next page above (or, at the segment's start, the segment before). The first
    // row is what changes: the count stays the same once the list drops its newest pages as older ones join above.
    await expect.poll(firstShown, { timeout: STEP_TIMEOUT_MS }).not.toBe(before);
  }
  if ((await rendered(oldestLoaded).count()) === 0) throw new Error(`${oldestLoaded} never rendered`);
  // Timed in the page, looking once a frame in the list's own shadow root only: Playwright's locator polling (up
  // to 500 ms apart, each a query through every shadow root of the page, thousands of messages by the third
  // segment) was a large part of what this measured (a 2.9 s step's profile: ~0.85 s in its selector engine).
  return profiler.around(label, () =>
    traced(page, label, async () => {
      const element = await list.elementHandle();
      const shown = page.waitForFunction(
        ({ listElement, text }) => {
          // The segment's newest page joins at the top: the first rows are enough to look through. Only those are
          // queried (a query of the whole list each frame, thousands of rows, was ~0.1-0.5 s of a step's profile).
          const rows = listElement?.shadowRoot?.querySelector('ol')?.children ?? [];
          for (let i = 0; i < Math.min(rows.length, 200); i++) {
            if (rows[i]?.querySelector('[data-testid="message-text"]')?.textContent === text) return performance.now();
          }
          return false;
        },
        { listElement: element, text: previousNewest },
        { polling: 'raf', timeout: STEP_TIMEOUT_MS },
      );
      const started = await list.evaluate((element) => {
        element.scrollTop = 0;
        return performance.now();
      });
      return ((await (await shown).jsonValue()) as number) - started;
    }),
  );
}

/** Records a Chromium trace of the page around a step when BENCH_HISTORY_TRACE names a folder; else only runs the step. */
async function traced<T>(page: Page, label: string, step: () => Promise<T>): Promise<T> {
  const browser = page.context().browser();
  if (!TRACE_DIR || !browser) return step();
  await mkdir(TRACE_DIR, { recursive: true });
  await browser.startTracing(page, { path: path.join(TRACE_DIR, `segments-${label}.json`) });
  try {
    return await step();
  } finally {
    await browser.stopTracing();
  }
}

/** Records the page's CPU profile around a step when BENCH_HISTORY_PROFILE names a folder; else only runs the step. */
class PageProfiler {
  private constructor(
    private readonly session: CDPSession | null,
    private readonly prefix: string,
  ) {}

  static async start(page: Page, prefix: string): Promise<PageProfiler> {
    if (!PROFILE_DIR) return new PageProfiler(null, prefix);
    await mkdir(PROFILE_DIR, { recursive: true });
    const session = await page.context().newCDPSession(page);
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: 200 });
    return new PageProfiler(session, prefix);
  }

  async around<T>(label: string, step: () => Promise<T>): Promise<T> {
    const session = this.session;
    if (!session || !PROFILE_DIR) return step();
    await session.send('Profiler.start');
    try {
      return await step();
    } finally {
      const { profile } = await session.send('Profiler.stop');
      await writeFile(path.join(PROFILE_DIR, `${this.prefix}-${label}.cpuprofile`), JSON.stringify(profile));
    }
  }
}

function rowsOf(measured: Record<'segmented' | 'whole', FirstOpen | null>): Row[] {
  const scenario = `history: ${MESSAGES.toLocaleString('en-US')}-message conversation, fresh device in Chromium`;
  const rows: Row[] = [];
  const pair = (metric: string, unit: Unit, of: (m: FirstOpen) => number, target?: Row['target']) => {
    rows.push({
      scenario,
      metric: `${metric} (segments; reference column: one whole document)`,
      unit,
      ours: measured.segmented ? of(measured.segmented) : null,
      reference: measured.whole ? of(measured.whole) : null,
      ...(target ? { target } : {}),
    });
  };
  pair('click → newest 50 shown', 'ms', (m) => m.shownMs, { kind: 'at-most', value: 500 });
  pair('bytes received on first open', 'KiB', (m) => m.receivedBytes / 1024, { kind: 'at-most', value: 300_000 / 1024 });
  pair('relay CPU to serve the first open from unloaded, click → shown', 'ms', (m) => m.relayCpuMs, { kind: 'at-most', value: 50 });
  pair('relay CPU from page load: app files, sign-in, list, first open', 'ms', (m) => m.relayCpuFromPageLoadMs);
  pair('relay RSS growth for the first open', 'MiB', (m) => m.relayRssGrowthBytes / 2 ** 20, { kind: 'at-most', value: 10 });
  const older = measured.segmented?.olderSegmentMs ?? [];
  rows.push({
    scenario,
    metric: `each older segment on scroll (slowest of ${older.length})`,
    unit: 'ms',
    ours: older.length > 0 ? Math.max(...older) : null,
    reference: 'n/a (one document)',
    target: { kind: 'at-most', value: 300 },
  });
  return rows;
}
