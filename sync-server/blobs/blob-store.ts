/**
 * Uploaded pictures: each stored once, by the SHA-256 of its bytes, in
 * DATA_DIR/blobs/<sha256>, with its metadata in LevelDB.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../store/database.js';
import { compositeKey, keyPrefix, prefixRange } from '../store/keys.js';
import type { ImageInfo } from './image-type.js';

export interface BlobRecord extends ImageInfo {
  id: string;
  size: number;
  uploadedBy: string;
  createdAt: number;
  /** Avatars and group pictures are visible to every signed-in person. */
  public: boolean;
}

export class BlobStore {
  private readonly dir: string;

  constructor(
    private readonly db: Database,
    dataDir: string,
  ) {
    this.dir = path.join(dataDir, 'blobs');
  }

  async get(id: string): Promise<BlobRecord | undefined> {
    if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
    return this.db.blobs.get(id);
  }

  /** Records that a picture was sent to a conversation: its members may fetch it. */
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
    return readFile(path.join(this.dir, id));
  }

  /** Stores the bytes unless the same bytes are already stored; returns the record. */
  async put(bytes: Uint8Array, info: ImageInfo, uploadedBy: string, isPublic: boolean): Promise<BlobRecord> {
    const id = createHash('sha256').update(bytes).digest('hex');
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
