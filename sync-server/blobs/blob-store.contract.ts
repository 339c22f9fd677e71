/**
 * The one test suite every picture store passes (blob-store.ts). Call
 * `blobStoreContract` from a test file with a way to open a fresh, empty
 * store and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import { type BlobStore, blobIdOf } from './blob-store.js';
import type { ImageInfo } from './image-type.js';

export interface BlobStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<BlobStore> | BlobStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: BlobStore): Promise<BlobStore> | BlobStore;
}

const png: ImageInfo = { mime: 'image/png', width: 2, height: 3 };

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function blobStoreContract(name: string, subject: BlobStoreUnderTest): void {
  describe(`${name} picture store`, () => {
    it('stores a picture once by the SHA-256 of its bytes and reads the same bytes back', async () => {
      const blobs = await subject.open();
      const first = await blobs.put(bytes('picture one'), png, 'u1', false);
      expect(first).toMatchObject({ id: blobIdOf(bytes('picture one')), ...png, size: 11, uploadedBy: 'u1', public: false });
      const again = await blobs.put(bytes('picture one'), png, 'u2', false);
      expect(again).toEqual(first);
      const other = await subject.sameStorage(blobs);
      expect(await other.get(first.id)).toEqual(first);
      expect(new Uint8Array(await other.read(first.id))).toEqual(bytes('picture one'));
      expect(await other.get('0'.repeat(64))).toBeUndefined();
      expect(await other.get('../../etc/passwd')).toBeUndefined();
    });

    it('turns stored bytes public when they are uploaded again as a public picture, never back', async () => {
      const blobs = await subject.open();
      const stored = await blobs.put(bytes('avatar'), png, 'u1', false);
      expect((await blobs.put(bytes('avatar'), png, 'u2', true)).public).toBe(true);
      expect((await blobs.put(bytes('avatar'), png, 'u3', false)).public).toBe(true);
      expect(await (await subject.sameStorage(blobs)).get(stored.id)).toEqual({ ...stored, public: true });
    });

    it('keeps the conversations each picture was sent to, once each', async () => {
      const blobs = await subject.open();
      const a = await blobs.put(bytes('a'), png, 'u1', false);
      const b = await blobs.put(bytes('b'), png, 'u1', false);
      await blobs.addReference(a.id, 'c1');
      await blobs.addReference(a.id, 'c2');
      await blobs.addReference(a.id, 'c1');
      await blobs.addReference(b.id, 'c3');
      const other = await subject.sameStorage(blobs);
      expect((await other.conversationsReferencing(a.id)).sort()).toEqual(['c1', 'c2']);
      expect(await other.conversationsReferencing(b.id)).toEqual(['c3']);
    });
  });
}
