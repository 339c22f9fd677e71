/**
 * The conversation list in Chromium for a person in many conversations
 * (issue 12's inbox targets): time from navigation until every listed
 * conversation's preview is on screen with the newest one on top, on a cold
 * first sign-in and after reloads with the network off; the sockets the tab
 * opened; the page's JS heap once background sync is done; and how soon the
 * list is right after the network comes back. Times are taken inside the
 * page, every animation frame.
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';

const STEP_TIMEOUT_MS = 60_000;

/** What the page must show for the list to count as shown. */
export interface ListExpectation {
  /** Previews on screen (every conversation with a message). */
  previews: number;
  /** The preview of the most recently active conversation: it must be the first entry. */
  newestPreview: string;
}

/**
 * Watches every page of `context` from its first animation frame: the
 * script is installed before the page's own, and each frame it records the
 * in-page time (performance.now(), from navigation start) at which each of
 * `stages` was first shown. A poll started from here (page.waitForFunction)
 * begins only once Playwright has reached the new page, which a page busy
 * rendering answers late: its first look at a list shown at 0.4 s could come
 * at 2 s, and that is what it timed. The walk skips avatars' shadow roots,
 * which hold no list text, so it costs the page little; it stops once every
 * stage was seen, or after a minute.
 */
export async function watchList(context: BrowserContext, stages: readonly ListExpectation[]): Promise<void> {
  // A script as text: tsx would wrap a function's inner functions in a helper the page lacks.
  await context.addInitScript({
    content: `(() => {
      const stages = ${JSON.stringify(stages)};
      const shownAt = stages.map(() => null);
      window.__listShownAt = shownAt;
      const check = () => {
        const found = [];
        const roots = [document];
        for (let root = roots.pop(); root; root = roots.pop()) {
          root.querySelectorAll('[data-testid="conversation-preview"]').forEach((e) => found.push(e));
          root.querySelectorAll('*').forEach((e) => e.shadowRoot && e.localName !== 'person-avatar' && roots.push(e.shadowRoot));
        }
        const now = performance.now();
        stages.forEach((stage, i) => {
          if (shownAt[i] === null && found.length >= stage.previews && found[0]?.textContent?.includes(stage.newestPreview)) shownAt[i] = now;
        });
        if (shownAt.includes(null) && now < ${STEP_TIMEOUT_MS}) requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    })();`,
  });
}

/** In-page time of the first frame that showed `stages[stage]` of `watchList` on this page's current document. */
export async function listShownAt(page: Page, stage: number): Promise<number> {
  const handle = await page.waitForFunction(
    (i) => (window as unknown as { __listShownAt?: Array<number | null> }).__listShownAt?.[i] ?? false,
    stage,
    { polling: 100, timeout: STEP_TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as number;
}

/** Resolves once every `texts` is among the list's previews; returns the in-page time. */
export async function previewsShownAt(page: Page, texts: readonly string[]): Promise<number> {
  const handle = await page.waitForFunction(
    (wanted) => {
      const shown = new Set<string>();
      const roots: Array<Document | ShadowRoot> = [document];
      for (let root = roots.pop(); root; root = roots.pop()) {
        root.querySelectorAll('[data-testid="conversation-preview"]').forEach((e) => shown.add(e.textContent?.trim() ?? ''));
        root.querySelectorAll('*').forEach((e) => e.shadowRoot && e.localName !== 'person-avatar' && roots.push(e.shadowRoot));
      }
      return wanted.every((text) => shown.has(text)) ? performance.now() : false;
    },
    texts,
    { polling: 'raf', timeout: STEP_TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as number;
}

/** Offline reloads (service worker and IndexedDB only), each timed to each of the `stages` given to `watchList` (e.g. the first screen, then the whole list). */
export async function offlineReloads(context: BrowserContext, page: Page, stages: number, repeats: number): Promise<number[][]> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await context.setOffline(true);
  const times: number[][] = Array.from({ length: stages }, () => []);
  for (let i = 0; i < repeats; i++) {
    await page.reload({ waitUntil: 'commit' });
    for (let stage = 0; stage < stages; stage++) times[stage]?.push(await listShownAt(page, stage));
  }
  return times;
}

/** The page's JS heap in use after a full GC (bytes), read over the DevTools protocol. */
export async function jsHeapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/** How many conversations background sync recorded as synced on this device (client/data/sync/local-copies.ts). */
export async function localCopiesRecorded(page: Page, userId: string): Promise<number> {
  return page.evaluate(
    (key) => Object.keys(JSON.parse(localStorage.getItem(key) ?? '{}') as object).length,
    `happychat.local-copies.${userId}`,
  );
}
