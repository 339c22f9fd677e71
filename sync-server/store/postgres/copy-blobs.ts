/**
 * Pictures and files copied by `copy-to-postgres`: each record from the
 * `blobs` sublevel with its bytes from `DATA_DIR/blobs/<id>` into the
 * `blobs` table (`bytea`, migrations/019_blobs.sql), each file checked on
 * the way against its id, the SHA-256 of its bytes. A file missing or
 * damaged stops the copy (and rolls it back): a picture people sent must not
 * vanish in a move. Which conversations each was sent to is a record table
 * (`blob_refs`, copy-records.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { blobIdOf, type BlobRecord } from '../../blobs/blob-store.js';
import type { Database } from '../database.js';
import { RowWriter } from './copy-rows.js';

/** Copies the pictures and files: each record with its bytes from `DATA_DIR/blobs/<id>`, which must hash to the id. */
export async function copyBlobs(db: Database, dataDir: string, client: pg.ClientBase): Promise<{ rows: number; bytes: number }> {
  const writer = new RowWriter(client, 'blobs', [
    { name: 'id', type: 'text' },
    { name: 'record', type: 'jsonb' },
    { name: 'bytes', type: 'bytea' },
  ]);
  let bytes = 0;
  for await (const [id, record] of db.root.sublevel<string, BlobRecord>('blobs', { valueEncoding: 'json' }).iterator()) {
    const file = path.join(dataDir, 'blobs', id);
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch (error) {
      throw new Error(
        `picture ${id} is recorded but its file ${file} cannot be read (${(error as Error).message}); restore it from a backup`,
      );
    }
    if (blobIdOf(content) !== id)
      throw new Error(`picture file ${file} does not hash to its name: it is damaged; restore it from a backup`);
    bytes += content.length;
    await writer.add([id, record, content], content.length);
  }
  await writer.flush();
  return { rows: writer.written, bytes };
}
