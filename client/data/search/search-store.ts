/**
 * Where the device's search index lives between visits: an IndexedDB
 * database of its own per person (`search/<userId>`, deleted at sign-out
 * like the documents), one record per conversation holding its serialized
 * index (message-index.ts). One record per conversation means a new message
 * rewrites only its own conversation's index, not everyone's.
 */
import type { SerializedMessageIndex } from './message-index.js';

const STORE = 'conversations';

/** The database that holds a person's search index. */
export function searchDatabaseName(userId: string): string {
  return `search/${userId}`;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export class SearchStore {
  private opened: Promise<IDBDatabase> | undefined;
  private closed = false;

  constructor(
    readonly userId: string,
    private readonly factory: IDBFactory = indexedDB,
  ) {}

  /** Every conversation's saved index, by conversation id. */
  async loadAll(): Promise<Map<string, SerializedMessageIndex>> {
    const db = await this.db();
    const store = db.transaction(STORE, 'readonly').objectStore(STORE);
    const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
    return new Map(keys.map((key, i) => [String(key), values[i] as SerializedMessageIndex]));
  }

  async load(conversationId: string): Promise<SerializedMessageIndex | undefined> {
    const db = await this.db();
    return (await done(db.transaction(STORE, 'readonly').objectStore(STORE).get(conversationId))) as SerializedMessageIndex | undefined;
  }

  async save(conversationId: string, index: SerializedMessageIndex): Promise<void> {
    if (this.closed) return;
    const db = await this.db();
    const transaction = db.transaction(STORE, 'readwrite');
    transaction.objectStore(STORE).put(index, conversationId);
    await new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  /** Closes the database (it may then be deleted). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.opened) (await this.opened.catch(() => undefined))?.close();
  }

  private db(): Promise<IDBDatabase> {
    this.opened ??= new Promise((resolve, reject) => {
      const request = this.factory.open(searchDatabaseName(this.userId), 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => {
        // Another tab deleting it (sign-out there) must not wait for us.
        request.result.onversionchange = () => request.result.close();
        resolve(request.result);
      };
      request.onerror = () => reject(request.error);
    });
    return this.opened;
  }
}
