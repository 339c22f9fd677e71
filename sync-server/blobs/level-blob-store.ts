/** Uploaded pictures and files in DATA_DIR/blobs/<sha256>, with their metadata and references in LevelDB (blob-store.ts). */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../store/database.js';
import { compositeKey, keyPrefix, prefixRange } from '../store/keys.js';
import { type BlobInfo, type BlobRecord, type BlobStore, blobIdOf, isBlobId } from './blob-store.js';

export class LevelBlobStore implements BlobStore {
  private readonly dir: string;

  constructor(
    private readonly db: Database,
    dataDir: string,
  ) {
    this.dir = path.join(dataDir, 'blobs');
  }

  async get(id: string): Promise<BlobRecord | undefined> {
    if (!isBlobId(id)) return undefined;
    return this.db.blobs.get(id);
  }

  async addReference(id: string, conversationId: string): Promise<void> {
    await this.db.blobRefs.put(compositeKey(id, conversationId), true);
  }

  async conversationsReferencing(id: string): Promise<string[]> {
    const prefix = keyPrefix(id);
    const ids: string[] = [];
    for await (const key of this.db.blobRefs.keys({ ...prefixRange(prefix), limit: 1000 })) ids.push(key.slice(prefix.length));
    return ids;
  }

  async read(id: string): Promise<Buffer> {
    if (!isBlobId(id)) throw new Error(`not a picture id: ${id}`);
    return readFile(path.join(this.dir, id));
  }

  async put(bytes: Uint8Array, info: BlobInfo, uploadedBy: string, isPublic: boolean): Promise<BlobRecord> {
    const id = blobIdOf(bytes);
    const existing = await this.db.blobs.get(id);
    if (existing) {
      if (isPublic && !existing.public) {
        const updated = { ...existing, public: true };
        await this.db.blobs.put(id, updated);
        return updated;
      }
      return existing;
    }
    await mkdir(this.dir, { recursive: true });
    // Write then rename, so a crash never leaves a half-written file under the final name.
    const temporary = path.join(this.dir, `${id}.${process.pid}.tmp`);
    await writeFile(temporary, bytes);
    await rename(temporary, path.join(this.dir, id));
    const record: BlobRecord = { id, ...info, size: bytes.length, uploadedBy, createdAt: Date.now(), public: isPublic };
    await this.db.blobs.put(id, record);
    return record;
  }
}
