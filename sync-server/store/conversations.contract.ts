/**
 * The one test suite every conversation store passes (conversations.ts).
 * Call `conversationStoreContract` from a test file with a way to open a
 * fresh, empty store and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import type { ConversationStore } from './conversations.js';
import type { ConversationRecord, MembershipRecord } from './database.js';

export interface ConversationStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<ConversationStore> | ConversationStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: ConversationStore): Promise<ConversationStore> | ConversationStore;
}

const owner: MembershipRecord = { role: 'owner', joinedAt: 1 };
const member: MembershipRecord = { role: 'member', joinedAt: 2 };

function group(id: string, changes: Partial<ConversationRecord> = {}): ConversationRecord {
  return { id, kind: 'group', createdAt: 1, title: `Group ${id}`, createdBy: 'u1', ...changes };
}

export function conversationStoreContract(name: string, subject: ConversationStoreUnderTest): void {
  describe(`${name} conversation store`, () => {
    it('creates a conversation with its members, seen both ways', async () => {
      const store = await subject.open();
      const direct: ConversationRecord = { id: 'd1', kind: 'direct', createdAt: 5, pair: ['u1', 'u2'] };
      await store.create(
        direct,
        new Map([
          ['u1', member],
          ['u2', member],
        ]),
      );
      const other = await subject.sameStorage(store);
      expect(await other.byId('d1')).toEqual(direct);
      expect(await other.byId('nothing')).toBeUndefined();
      expect(await other.isMember('d1', 'u1')).toBe(true);
      expect(await other.isMember('d1', 'u3')).toBe(false);
      expect(await other.membership('d1', 'u2')).toEqual(member);
      expect(await other.membership('d1', 'u3')).toBeUndefined();
      expect([...(await other.members('d1'))].sort()).toEqual([
        ['u1', member],
        ['u2', member],
      ]);
      expect(await other.conversationIdsOf('u2')).toEqual(['d1']);
      expect(await other.conversationIdsOf('u3')).toEqual([]);
    });

    it('stores changed fields, dropped ones included, apart from the members', async () => {
      const store = await subject.open();
      await store.create(group('g1', { hiddenUntilWritten: true, removedAt: { u9: 3 } }), new Map([['u1', owner]]));
      const changed = group('g1', { title: 'Renamed', notice: 'Be nice', disbandedAt: 7, removedAt: { u9: 3, u8: 4 } });
      await store.update(changed);
      const stored = await (await subject.sameStorage(store)).byId('g1');
      expect(stored).toEqual(changed);
      expect(stored?.hiddenUntilWritten).toBeUndefined();
      expect(await store.isMember('g1', 'u1')).toBe(true);
    });

    it('adds, changes and removes members', async () => {
      const store = await subject.open();
      await store.create(group('g1'), new Map([['u1', owner]]));
      await store.putMembers(
        'g1',
        new Map([
          ['u2', member],
          ['u3', member],
        ]),
      );
      await store.putMembers('g1', new Map([['u2', { role: 'admin', joinedAt: 2 }]]));
      expect((await store.membership('g1', 'u2'))?.role).toBe('admin');
      await store.removeMembers('g1', ['u1', 'u3', 'never-there']);
      const other = await subject.sameStorage(store);
      expect([...(await other.members('g1')).keys()]).toEqual(['u2']);
      expect(await other.isMember('g1', 'u1')).toBe(false);
      expect(await other.conversationIdsOf('u1')).toEqual([]);
      expect(await other.conversationIdsOf('u2')).toEqual(['g1']);
    });

    it('keeps conversations and people apart when one id starts another', async () => {
      const store = await subject.open();
      await store.create(group('g1'), new Map([['u1', owner]]));
      await store.create(group('g10'), new Map([['u10', owner]]));
      expect([...(await store.members('g1')).keys()]).toEqual(['u1']);
      expect(await store.conversationIdsOf('u1')).toEqual(['g1']);
      expect(await store.isMember('g1', 'u10')).toBe(false);
    });

    it('counts a person’s conversations by id prefix, up to a limit', async () => {
      const store = await subject.open();
      for (let i = 0; i < 5; i++) await store.create(group(`g${i}`), new Map([['u1', owner]]));
      await store.create({ id: 'd1', kind: 'direct', createdAt: 1, pair: ['u1', 'u2'] }, new Map([['u1', member]]));
      expect(await store.countIdsOf('u1', 'g', 100)).toBe(5);
      expect(await store.countIdsOf('u1', 'g', 3)).toBe(3);
      expect(await store.countIdsOf('u1', 'd', 100)).toBe(1);
      expect(await store.countIdsOf('u2', 'g', 100)).toBe(0);
      expect((await store.conversationIdsOf('u1')).sort()).toEqual(['d1', 'g0', 'g1', 'g2', 'g3', 'g4']);
    });
  });
}
