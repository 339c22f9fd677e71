/**
 * What y-indexeddb has stored for a document, read through IndexedDB itself.
 * The read is a transaction on the same store, so it waits for every write
 * transaction started before it: awaiting it awaits those writes.
 */
import * as Y from 'yjs';

/** The document as stored under `name` (its 'updates' store applied in order); fails if there is no such database. */
export function storedDoc(name: string): Promise<Y.Doc> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(name);
    // Only an existing database may be read: do not create one.
    opening.onupgradeneeded = () => opening.transaction?.abort();
    opening.onerror = () => reject(new Error(`no local copy of ${name}`));
    opening.onsuccess = () => {
      const db = opening.result;
      const transaction = db.transaction('updates', 'readonly');
      const reading = transaction.objectStore('updates').getAll();
      transaction.oncomplete = () => {
        db.close();
        const doc = new Y.Doc();
        for (const update of reading.result as Uint8Array[]) Y.applyUpdate(doc, update);
        resolve(doc);
      };
      transaction.onerror = () => {
        db.close();
        reject(transaction.error);
      };
    };
  });
}
