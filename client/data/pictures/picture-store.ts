/**
 * Pictures, files and voice messages waiting to be uploaded, kept in their own small IndexedDB
 * database per person, so a picture sent offline survives reloads. A record
 * is keyed by the id of the message it becomes (made when the person sent
 * it), so it can never turn into two messages.
 */

/** A picture to send, already scaled; or, with `file`, a file or voice message (sides 0). */
export interface NewPicture {
  conversationId: string;
  /** The scaled picture's bytes (an ArrayBuffer stores everywhere; a Blob did not on older Safari). */
  bytes: ArrayBuffer;
  mime: string;
  width: number;
  height: number;
  caption: string;
  replyTo?: string;
  /** Set for a file or a voice message (issue 15): uploaded as a file, written as a message of that kind. */
  file?: OutgoingFile;
}

/** What makes an upload a file (its name) or a voice message (its length and waveform) rather than a picture. */
export type OutgoingFile = { kind: 'file'; name: string } | { kind: 'voice'; durationMs: number; peaks: number[] };

/** A picture waiting in the outbox: the new picture, who sent it and when, and how far its upload got. */
export interface PictureRecord extends NewPicture {
  /** The id of the message this picture becomes. */
  id: string;
  authorId: string;
  createdAt: number;
  /** Set once the server has the bytes: from then on only the message remains to be written. */
  blobId?: string;
  /** Why the server refused it for good (too big, not a member…): it waits for the person to discard it. */
  failure?: string;
}

const STORE = 'pictures';

/** The database name for a person; not a document name, so sign-out lists it separately. */
export function pictureDatabaseName(userId: string): string {
  return `pictures/${userId}`;
}

export class PictureStore {
  private db: Promise<IDBDatabase> | undefined;

  constructor(
    readonly userId: string,
    private readonly factory: IDBFactory = indexedDB,
  ) {}

  async all(): Promise<PictureRecord[]> {
    const records = await this.run<PictureRecord[]>('readonly', (store) => store.getAll());
    return records.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async put(record: PictureRecord): Promise<void> {
    await this.run('readwrite', (store) => store.put(record));
  }

  async delete(id: string): Promise<void> {
    await this.run('readwrite', (store) => store.delete(id));
  }

  close(): void {
    void this.db?.then(
      (db) => db.close(),
      () => undefined,
    );
    this.db = undefined;
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = this.factory.open(pictureDatabaseName(this.userId), 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
      request.onsuccess = () => {
        const db = request.result;
        // Sign-out in another tab deletes this database: let it.
        db.onversionchange = () => {
          db.close();
          this.db = undefined;
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error ?? new Error('could not open the picture store'));
      request.onblocked = () => reject(new Error('the picture store is blocked by another tab'));
    });
    return this.db;
  }

  private async run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest): Promise<T> {
    const db = await this.open();
    return new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result as T);
      transaction.onerror = () => reject(transaction.error ?? new Error('picture store transaction failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('picture store transaction aborted'));
    });
  }
}
