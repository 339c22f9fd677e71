/**
 * Waiting in data-layer tests, bounded in time. Both helpers keep real time
 * when a test fakes the timers (to run y-websocket's reconnect backoff at
 * once): they hold the real setTimeout, taken when this module loads.
 */
import * as Y from 'yjs';

const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

/** Resolves when `condition` holds, looking every 10 ms (for state that raises no event); fails after `timeoutMs`. */
export function waitFor(condition: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (condition()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else realSetTimeout(tick, 10);
    };
    tick();
  });
}

/** Something that tells when it changed: an EventTarget by 'change' events, a Y.Doc by 'update'. */
export type ChangeSource = EventTarget | Y.Doc;

/** Resolves when `condition` holds, looking again whenever one of `sources` changes; fails after `timeoutMs`. */
export function whenChanged(
  sources: ChangeSource | readonly ChangeSource[],
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const watched = sources instanceof Y.Doc || sources instanceof EventTarget ? [sources] : sources;
  return new Promise((resolve, reject) => {
    if (condition()) return resolve();
    const check = () => {
      if (!condition()) return;
      stop();
      resolve();
    };
    const stop = () => {
      realClearTimeout(timer);
      for (const source of watched) {
        if (source instanceof Y.Doc) source.off('update', check);
        else source.removeEventListener('change', check);
      }
    };
    const timer = realSetTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    for (const source of watched) {
      if (source instanceof Y.Doc) source.on('update', check);
      else source.addEventListener('change', check);
    }
  });
}
