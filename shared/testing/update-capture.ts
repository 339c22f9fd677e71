/**
 * The one update capture of our tests: the exact Yjs updates a change to a
 * document produced, to send them by hand (attacks, offline replays) or to
 * feed them to a unit under test.
 */
import * as Y from 'yjs';

/** Runs `change` on `doc` and returns each update it produced, in order (updates with origin `ignoreOrigin` left out). */
export function captureUpdates(doc: Y.Doc, change: (doc: Y.Doc) => void, ignoreOrigin?: unknown): Uint8Array[] {
  const produced: Uint8Array[] = [];
  const collect = (update: Uint8Array, origin: unknown) => {
    if (ignoreOrigin === undefined || origin !== ignoreOrigin) produced.push(update);
  };
  doc.on('update', collect);
  try {
    change(doc);
  } finally {
    doc.off('update', collect);
  }
  return produced;
}

/** Runs `change` on `doc` and returns what it produced as one update. */
export function captureUpdate(doc: Y.Doc, change: (doc: Y.Doc) => void, ignoreOrigin?: unknown): Uint8Array {
  const produced = captureUpdates(doc, change, ignoreOrigin);
  return produced.length === 1 ? produced[0] : Y.mergeUpdates(produced);
}
