/**
 * Uploaded pictures and files in PostgreSQL (blobs/blob-store.ts; tables in
 * migrations/019_blobs.sql): bytes as `bytea` beside the metadata, so any
 * relay serves any picture. The same bytes uploaded at once on two relays
 * make one row (the primary key is their SHA-256).
 */
import type pg from 'pg';
import { type BlobInfo, type BlobRecord, type BlobStore, blobIdOf, isBlobId } from '../../blobs/blob-store.js';

export class PostgresBlobStore implements BlobStore {
  constructor(private readonly pool: pg.Pool) {}

  async get(id: string): Promise<BlobRecord | undefined> {
    if (!isBlobId(id)) return undefined;
    const { rows } = await this.pool.query<{ record: BlobRecord }>('SELECT record FROM blobs WHERE id = $1', [id]);
    return rows[0]?.record;
  }

  async addReference(id: string, conversationId: string): Promise<void> {
    await this.pool.query('INSERT INTO blob_refs (blob_id, conversation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, conversationId]);
  }

  async conversationsReferencing(id: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ conversation_id: string }>(
      'SELECT conversation_id FROM blob_refs WHERE blob_id = $1 ORDER BY conversation_id LIMIT 1000',
      [id],
    );
    return rows.map((row) => row.conversation_id);
  }

  async read(id: string): Promise<Buffer> {
    const { rows } = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM blobs WHERE id = $1', [id]);
    if (!rows[0]) throw new Error(`no stored picture ${id}`);
    return rows[0].bytes;
  }

  async put(bytes: Uint8Array, info: BlobInfo, uploadedBy: string, isPublic: boolean): Promise<BlobRecord> {
    const id = blobIdOf(bytes);
    const record: BlobRecord = { id, ...info, size: bytes.length, uploadedBy, createdAt: Date.now(), public: isPublic };
    // Stored once: a second upload of the same bytes keeps the first record, only ever turning it public.
    const { rows } = await this.pool.query<{ record: BlobRecord }>(
      `INSERT INTO blobs (id, record, bytes) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET record = CASE WHEN $4 THEN jsonb_set(blobs.record, '{public}', 'true') ELSE blobs.record END
       RETURNING record`,
      [id, record, Buffer.from(bytes), isPublic],
    );
    return rows[0]?.record ?? record;
  }
}
