/**
 * The app in Chromium against our relay: how long until a conversation's
 * newest 50 messages are on screen, (1) opened for the first time in a fresh
 * browser profile (cold sync over the network) and (2) after a reload with
 * the network off (from IndexedDB, the app shell from the service worker).
 * Times are taken inside the page, polled every animation frame.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/environment.js';

const SHOWN = 50;
const STEP_TIMEOUT_MS = 30_000;

export interface ConversationTimingOptions {
  baseUrl: string;
  person: { email: string; password: string };
  /** Text of the conversation's newest message (unique). */
  newestText: string;
  coldRepeats: number;
  offlineRepeats: number;
}

export interface ConversationTimings {
  /** Click on the conversation → newest 50 shown, nothing stored locally (ms). */
  coldSyncMs: number[];
  /** Bytes the browser received on the conversation's socket during the first cold sync. */
  coldSyncSocketBytes: number;
  /** Offline reload (navigation start) → newest 50 shown, from IndexedDB (ms). */
  offlineReloadMs: number[];
}

export async function timeConversation(options: ConversationTimingOptions): Promise<ConversationTimings> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const coldSyncMs: number[] = [];
    let coldSyncSocketBytes = 0;
    let offlineReloadMs: number[] = [];
    for (let i = 0; i < options.coldRepeats; i++) {
      // A fresh profile each time: empty IndexedDB, no service worker yet.
      const context = await browser.newContext({ baseURL: options.baseUrl });
      try {
        const page = await context.newPage();
        const socketBytes = countConversationSocketBytes(page);
        await signIn(page, options.person);
        coldSyncMs.push(await timeFirstOpen(page, options.newestText));
        coldSyncSocketBytes = socketBytes();
        if (i === options.coldRepeats - 1) offlineReloadMs = await timeOfflineReloads(context, page, options);
      } finally {
        await context.close();
      }
    }
    return { coldSyncMs, coldSyncSocketBytes, offlineReloadMs };
  } finally {
    await browser.close();
  }
}

async function signIn(page: Page, person: { email: string; password: string }): Promise<void> {
  await page.goto('/');
  await page.getByTestId('signin-email').fill(person.email);
  await page.getByTestId('signin-password').fill(person.password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('current-user').waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.getByTestId('conversation-item').first().waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Clicks the conversation inside the page and returns the in-page time until the newest 50 are shown. */
async function timeFirstOpen(page: Page, newestText: string): Promise<number> {
  // Functions sent to the page hold no named inner functions: tsx would wrap them in a helper the page lacks.
  const clickedAt = await page.evaluate(() => {
    const found: Element[] = [];
    const roots: Array<Document | ShadowRoot> = [document];
    for (let root = roots.pop(); root; root = roots.pop()) {
      root.querySelectorAll('[data-testid="conversation-item"]').forEach((e) => found.push(e));
      root.querySelectorAll('*').forEach((e) => e.shadowRoot && roots.push(e.shadowRoot));
    }
    const item = found[0];
    if (!(item instanceof HTMLElement)) throw new Error('no conversation in the list');
    const at = performance.now();
    item.click();
    return at;
  });
  return (await newestShownAt(page, newestText)) - clickedAt;
}

async function timeOfflineReloads(context: BrowserContext, page: Page, options: ConversationTimingOptions): Promise<number[]> {
  // The offline start needs the service worker in control and the synced update stored by y-indexeddb.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.waitForTimeout(1500);
  await context.setOffline(true);
  const times: number[] = [];
  for (let i = 0; i < options.offlineRepeats; i++) {
    await page.reload({ waitUntil: 'commit' });
    // Measured from the reload's navigation start (performance.now() is relative to it).
    times.push(await newestShownAt(page, options.newestText));
  }
  return times;
}

/** In-page time (performance.now()) of the first animation frame showing ≥ 50 messages including the newest. */
async function newestShownAt(page: Page, newestText: string): Promise<number> {
  const handle = await page.waitForFunction(
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
  return (await handle.jsonValue()) as number;
}

/** Counts the bytes received on sockets to conversation documents; returns a reader of the count. */
function countConversationSocketBytes(page: Page): () => number {
  let bytes = 0;
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/sync/conv/')) return;
    socket.on('framereceived', ({ payload }) => {
      bytes += typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
    });
  });
  return () => bytes;
}
