/**
 * Where a page's start goes, read in the page (issue 12's cold first
 * sign-in): the app's files and API calls from Resource Timing, and every
 * frame the `/mux` socket received, by the name it carries (`user/<id>`,
 * `heads`, a conversation), with its in-page time and size. The socket is
 * watched by wrapping `WebSocket` before the app's script runs; the wrapper
 * only records a time, a size and the frame's name, so it costs the page
 * little. Used by the inbox bench when BENCH_INBOX_SPLIT=1.
 */
import type { BrowserContext, Page } from '@playwright/test';

export interface ColdSplit {
  /** Navigation: the document's response end, DOMContentLoaded end. */
  documentMs: number;
  domContentLoadedMs: number;
  /** Each resource the page fetched before the list showed: path, start, end (ms from navigation start). */
  resources: Array<{ path: string; startMs: number; endMs: number; bytes: number }>;
  socketCreatedMs: number | null;
  socketOpenMs: number | null;
  /** The main thread's long tasks (start, duration in ms), as the browser reported them. */
  longTasks: Array<[number, number]>;
  /** IndexedDB opens: database name (documents by kind), asked at, opened at (null: not yet). */
  databases: Array<[string, number, number | null]>;
  /** Per frame name received (a document or `heads`): how many, bytes, first and last in-page time. */
  received: Array<{ name: string; frames: number; bytes: number; firstMs: number; lastMs: number }>;
}

/** Installs the socket watch on every page of `context` (before the app's own script). */
export async function watchSocketFrames(context: BrowserContext): Promise<void> {
  await context.addInitScript({
    content: `(() => {
      const log = { created: null, opened: null, frames: [], longTasks: [], databases: [] };
      window.__socketLog = log;
      // The main thread's busy stretches (50 ms and longer), and when each IndexedDB database was asked for and opened.
      try {
        new PerformanceObserver((list) => list.getEntries().forEach((e) => log.longTasks.push([Math.round(e.startTime), Math.round(e.duration)])))
          .observe({ entryTypes: ['longtask'] });
      } catch {}
      const nativeOpen = IDBFactory.prototype.open;
      IDBFactory.prototype.open = function (name, ...rest) {
        const request = nativeOpen.call(this, name, ...rest);
        const entry = [String(name).replace(/^(conv|user)\\/.*/, '$1/*'), Math.round(performance.now()), null];
        log.databases.push(entry);
        request.addEventListener('success', () => { entry[2] = Math.round(performance.now()); });
        return request;
      };
      const Native = window.WebSocket;
      const nameOf = (buffer) => {
        const bytes = new Uint8Array(buffer);
        let length = 0, shift = 0, i = 0;
        for (; i < bytes.length && i < 5; i++) { length |= (bytes[i] & 127) << shift; shift += 7; if (bytes[i] < 128) { i++; break; } }
        return new TextDecoder().decode(bytes.subarray(i, i + length)).replace(/^(conv|group)\\/.*/, '$1/*');
      };
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args);
          if (log.created === null) log.created = performance.now();
          this.addEventListener('open', () => { if (log.opened === null) log.opened = performance.now(); });
          this.addEventListener('message', (event) => {
            const data = event.data;
            if (data instanceof ArrayBuffer) log.frames.push([performance.now(), data.byteLength, nameOf(data)]);
          });
        }
      };
    })();`,
  });
}

/** What the page recorded until now (call once the list showed). */
export async function coldSplit(page: Page): Promise<ColdSplit> {
  return page.evaluate(() => {
    const log = (
      window as unknown as {
        __socketLog: {
          created: number | null;
          opened: number | null;
          frames: Array<[number, number, string]>;
          longTasks: Array<[number, number]>;
          databases: Array<[string, number, number | null]>;
        };
      }
    ).__socketLog;
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((entry) => ({
      path: new URL(entry.name).pathname,
      startMs: Math.round(entry.startTime),
      endMs: Math.round(entry.responseEnd),
      bytes: entry.transferSize,
    }));
    const byName = new Map<string, { name: string; frames: number; bytes: number; firstMs: number; lastMs: number }>();
    for (const [at, bytes, name] of log.frames) {
      const entry = byName.get(name) ?? { name, frames: 0, bytes: 0, firstMs: Math.round(at), lastMs: 0 };
      entry.frames++;
      entry.bytes += bytes;
      entry.lastMs = Math.round(at);
      byName.set(name, entry);
    }
    return {
      documentMs: Math.round(navigation?.responseEnd ?? 0),
      domContentLoadedMs: Math.round(navigation?.domContentLoadedEventEnd ?? 0),
      resources,
      socketCreatedMs: log.created === null ? null : Math.round(log.created),
      socketOpenMs: log.opened === null ? null : Math.round(log.opened),
      received: [...byName.values()],
      longTasks: log.longTasks,
      databases: log.databases,
    };
  });
}
