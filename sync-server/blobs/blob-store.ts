/**
 * Uploaded pictures and files: each stored once, by the SHA-256 of its bytes, with
 * its metadata and the conversations it was sent to. `LevelBlobStore`
 * (level-blob-store.ts: bytes in DATA_DIR/blobs, metadata in LevelDB) is the
 * embedded one, `PostgresBlobStore` (store/postgres/postgres-blob-store.ts:
 * bytes as `bytea`) the cluster's; both pass blob-store.contract.ts.
 */
import { createHash } from 'node:crypto';
import type { ImageInfo } from './image-type.js';

/** A file of any type (or a voice message): its type and name as its first uploader declared them, never trusted to serve (file-download.ts). */
export interface FileInfo {
  kind: 'file';
  mime: string;
  name: string;
}

/** What is known of stored bytes: a picture's type and sides read from them, or a file's declared type and name. */
export type BlobInfo = ImageInfo | FileInfo;

export type BlobRecord = BlobInfo & {
  id: string;
  size: number;
  uploadedBy: string;
  createdAt: number;
  /** Avatars and group pictures are visible to every signed-in person. */
  public: boolean;
};

/** Whether a record is a file's (anything not read as a picture from its bytes). */
export function isFileRecord(record: BlobRecord): record is FileInfo & BlobRecord {
  return 'kind' in record && record.kind === 'file';
}

export interface BlobStore {
  /** The picture's record; undefined for an id that is not a stored picture's (or not a SHA-256 at all). */
  get(id: string): Promise<BlobRecord | undefined>;
  /** Records that a picture was sent to a conversation: its members may fetch it. */
  addReference(id: string, conversationId: string): Promise<void>;
  /** Conversations a picture was sent to (at most 1000). */
  conversationsReferencing(id: string): Promise<string[]>;
  /** The bytes of a stored picture. */
  read(id: string): Promise<Buffer>;
  /** Stores the bytes unless the same bytes are already stored (then a public upload makes them public); returns the record. */
  put(bytes: Uint8Array, info: BlobInfo, uploadedBy: string, isPublic: boolean): Promise<BlobRecord>;
}

/** A picture's id: the hex SHA-256 of its bytes. */
export function blobIdOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Whether `id` can be a picture's id (checked before any read, so no other path is ever opened). */
export function isBlobId(id: string): boolean {
  return /^[0-9a-f]{64}$/.test(id);
}
