/**
 * Finding this app's documents in IndexedDB, so sign-out can delete them all
 * (a shared computer must not keep one person's chats for the next).
 */
import { convDocName, parseDocName, userDocName } from '../../../shared/doc-names.js';
import { clearListSnapshot } from '../messages/list-snapshot.js';
import { PendingIndex } from '../messages/pending-index.js';
import { pictureDatabaseName } from '../pictures/picture-store.js';
import { searchDatabaseName } from '../search/search-store.js';
import { forgetHeadsStored, headsDatabaseName } from './shared-heads.js';
import type { KeyValueStorage } from '../key-value-storage.js';
import { SetAsideStore } from '../refusals/set-aside-store.js';

/** Names of every stored document of ours that the browser can list (Chromium, Firefox ≥126, Safari). */
export async function storedDocNames(factory: IDBFactory = indexedDB): Promise<string[]> {
  if (typeof factory.databases !== 'function') return [];
  try {
    const databases = await factory.databases();
    return databases.map((db) => db.name ?? '').filter((name) => parseDocName(name) !== null);
  } catch (error) {
    console.warn('Could not list local databases', error);
    return [];
  }
}

/**
 * Deletes a person's stored documents, shared heads, search index, outbox index, set-aside messages and list snapshot
 * (they signed out, or someone else signed in: nothing of theirs may be sent
 * under the next person's session).
 */
export async function deleteLocalDataOf(userId: string, storage: KeyValueStorage = localStorage): Promise<void> {
  const names = new Set(await storedDocNames());
  names.add(userDocName(userId));
  names.add(pictureDatabaseName(userId));
  names.add(searchDatabaseName(userId));
  names.add(headsDatabaseName(userId));
  const pending = new PendingIndex(userId, storage);
  const setAside = new SetAsideStore(userId, storage);
  for (const id of [...pending.conversationIds(), ...setAside.conversationIds()]) names.add(convDocName(id));
  pending.clear();
  setAside.clear();
  forgetHeadsStored(userId, storage);
  clearListSnapshot(userId, storage);
  await Promise.all([...names].map(deleteDatabase));
}

/** Deletes one IndexedDB database; resolves even if other tabs still hold it (it goes when they close). */
export function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => {
      console.warn(`Could not delete local data ${name}`, request.error);
      resolve();
    };
    request.onblocked = () => resolve();
  });
}
