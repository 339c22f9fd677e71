/**
 * Writes into the store while the relay is stopped, as a relay would have
 * stored it (a crash left it so, or an older version of our code wrote it).
 */
import * as Y from 'yjs';
import type { LevelDocumentLog } from '../store/level-document-log.js';

/** Appends one change to a stored document; returns the document's whole state after it. */
export async function storeChange(store: LevelDocumentLog, docName: string, change: (doc: Y.Doc) => void): Promise<Uint8Array> {
  const stored = await store.load(docName);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, stored.update);
  const before = Y.encodeStateVector(doc);
  change(doc);
  const outcome = await store.append(docName, { updates: [Y.encodeStateAsUpdate(doc, before)], clientOwners: [] }, stored.nextClock);
  if (!outcome.stored) throw new Error(`could not store into ${docName}`);
  return Y.encodeStateAsUpdate(doc);
}
