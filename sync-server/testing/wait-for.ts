/** Waiting for a replica to reach a state, event-driven (each document update) and bounded in time. */
import * as Y from 'yjs';

/**
 * Resolves when `predicate` holds, checking after each update of `docs` (one
 * document or several); fails after `timeoutMs`.
 */
export function waitFor(docs: Y.Doc | readonly Y.Doc[], predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const watched = docs instanceof Y.Doc ? [docs] : docs;
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const stop = () => {
      clearTimeout(timer);
      for (const doc of watched) doc.off('update', check);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    function check(): void {
      if (!predicate()) return;
      stop();
      resolve();
    }
    for (const doc of watched) doc.on('update', check);
  });
}
