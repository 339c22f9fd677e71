/**
 * What Yjs could not integrate, taken back out of a document.
 *
 * After `Y.applyUpdate`, structs whose predecessors are missing stay in
 * `doc.store.pendingStructs` and deletions of unknown items in
 * `doc.store.pendingDs`. Both are included by `Y.encodeStateAsUpdate`: left
 * there, they would reach every member in the next sync answer and the
 * stored log at the next compaction without ever being integrated (or
 * checked). The room calls this after every apply; see waiting-updates.ts.
 */
import * as Y from 'yjs';

/** Clears the document's pending structs and deletes; returns the client ids they wait for, or null when there were none. */
export function takePendingStructs(doc: Y.Doc): number[] | null {
  const store = doc.store;
  if (!store.pendingStructs && !store.pendingDs) return null;
  const clients = new Set<number>();
  if (store.pendingStructs) for (const clientId of store.pendingStructs.missing.keys()) clients.add(clientId);
  // pendingDs is a v2-encoded update holding only a delete set.
  if (store.pendingDs) for (const clientId of Y.decodeUpdateV2(store.pendingDs).ds.clients.keys()) clients.add(clientId);
  store.pendingStructs = null;
  store.pendingDs = null;
  return [...clients];
}
