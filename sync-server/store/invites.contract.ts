/**
 * The one test suite every invite store passes (invites.ts). Call
 * `inviteStoreContract` from a test file with a way to open a fresh, empty
 * store and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import type { InviteRecord } from './database.js';
import type { InviteStore } from './invites.js';

export interface InviteStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<InviteStore> | InviteStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: InviteStore): Promise<InviteStore> | InviteStore;
}

const NOW = 1_000_000;

function invite(id: string, changes: Partial<InviteRecord> = {}): InviteRecord {
  return {
    id,
    conversationId: 'g1',
    createdBy: 'u1',
    createdAt: 1,
    expiresAt: NOW + 1000,
    maxUses: 0,
    uses: 0,
    revoked: false,
    ...changes,
  };
}

export function inviteStoreContract(name: string, subject: InviteStoreUnderTest): void {
  describe(`${name} invite store`, () => {
    it('keeps invites by id and lists them per group, apart from a group whose id starts the same', async () => {
      const invites = await subject.open();
      await invites.create(invite('i1'));
      await invites.create(invite('i2', { maxUses: 3 }));
      await invites.create(invite('i3', { conversationId: 'g10' }));
      const other = await subject.sameStorage(invites);
      expect(await other.byId('i2')).toEqual(invite('i2', { maxUses: 3 }));
      expect(await other.byId('none')).toBeUndefined();
      expect((await other.ofConversation('g1')).map((i) => i.id).sort()).toEqual(['i1', 'i2']);
      expect((await other.ofConversation('g10')).map((i) => i.id)).toEqual(['i3']);
    });

    it('counts uses up to the limit, none on an expired or revoked invite, and gives a use back', async () => {
      const invites = await subject.open();
      await invites.create(invite('limited', { maxUses: 2 }));
      await invites.create(invite('expired', { expiresAt: NOW }));
      await invites.create(invite('revoked', { revoked: true }));
      await invites.create(invite('unlimited'));
      expect((await invites.claimUse('limited', NOW))?.uses).toBe(1);
      expect((await invites.claimUse('limited', NOW))?.uses).toBe(2);
      expect(await invites.claimUse('limited', NOW)).toBeUndefined();
      await invites.releaseUse('limited');
      expect((await invites.claimUse('limited', NOW))?.uses).toBe(2);
      expect(await invites.claimUse('expired', NOW)).toBeUndefined();
      expect(await invites.claimUse('revoked', NOW)).toBeUndefined();
      expect(await invites.claimUse('none', NOW)).toBeUndefined();
      for (let i = 1; i <= 5; i++) expect((await invites.claimUse('unlimited', NOW))?.uses).toBe(i);
      expect((await (await subject.sameStorage(invites)).byId('expired'))?.uses).toBe(0);
    });

    it('never overruns the limit when many joins use one link at once through two handles', async () => {
      const invites = await subject.open();
      const other = await subject.sameStorage(invites);
      await invites.create(invite('i1', { maxUses: 3 }));
      const claimed = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? invites : other).claimUse('i1', NOW)));
      expect(claimed.filter((record) => record !== undefined)).toHaveLength(3);
      expect((await invites.byId('i1'))?.uses).toBe(3);
    });

    it('revokes one invite, or every invite of a group, keeping their uses', async () => {
      const invites = await subject.open();
      await invites.create(invite('i1'));
      await invites.create(invite('i2'));
      await invites.create(invite('i3', { conversationId: 'g2' }));
      await invites.claimUse('i2', NOW);
      await invites.revoke('i1');
      expect((await invites.byId('i1'))?.revoked).toBe(true);
      expect((await invites.byId('i2'))?.revoked).toBe(false);
      await invites.revokeAllOf('g1');
      const other = await subject.sameStorage(invites);
      expect(await other.byId('i2')).toEqual(invite('i2', { uses: 1, revoked: true }));
      expect((await other.byId('i3'))?.revoked).toBe(false);
    });
  });
}
