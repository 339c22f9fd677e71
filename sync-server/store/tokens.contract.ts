/**
 * The one test suite every single-use token store passes (tokens.ts).
 * Call `tokenRecordStoreContract` from a test file with a way to open a
 * fresh, empty store and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import type { TokenRecord } from './database.js';
import type { TokenRecordStore } from './tokens.js';

export interface TokenRecordStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<TokenRecordStore> | TokenRecordStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: TokenRecordStore): Promise<TokenRecordStore> | TokenRecordStore;
}

const activation: TokenRecord = { userId: 'u1', purpose: 'activation', expiresAt: 1_700_000_000_000 };

export function tokenRecordStoreContract(name: string, subject: TokenRecordStoreUnderTest): void {
  describe(`${name} token record store`, () => {
    it('keeps a token under its hash until it is taken, once', async () => {
      const tokens = await subject.open();
      await tokens.put('h1', activation);
      const other = await subject.sameStorage(tokens);
      expect(await other.get('h1')).toEqual(activation);
      expect(await other.get('h2')).toBeUndefined();
      expect(await other.take('h1', 'activation')).toEqual(activation);
      expect(await tokens.get('h1')).toBeUndefined();
      expect(await tokens.take('h1', 'activation')).toBeUndefined();
    });

    it('keeps the new address of an email-change token (issue 15 account settings)', async () => {
      const tokens = await subject.open();
      const change: TokenRecord = { userId: 'u1', purpose: 'email-change', expiresAt: 1_700_000_000_000, email: 'new@example.com' };
      await tokens.put('h1', change);
      const other = await subject.sameStorage(tokens);
      expect(await other.get('h1')).toEqual(change);
      expect(await other.take('h1', 'email-change')).toEqual(change);
    });

    it('does not give out (nor use up) a token asked for another purpose', async () => {
      const tokens = await subject.open();
      await tokens.put('h1', activation);
      expect(await tokens.take('h1', 'password-reset')).toBeUndefined();
      expect(await tokens.get('h1')).toEqual(activation);
    });

    it('gives a token to exactly one of many takes at once through two handles', async () => {
      const tokens = await subject.open();
      const other = await subject.sameStorage(tokens);
      await tokens.put('h1', activation);
      const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? tokens : other).take('h1', 'activation')));
      expect(taken.filter((record) => record !== undefined)).toEqual([activation]);
    });
  });
}
