/**
 * The one test suite every user store passes (users.ts). Call
 * `userStoreContract` from a test file with a way to open a fresh, empty
 * store and a second handle on the same storage; the suite registers its
 * tests under `describe(name)`.
 */
import { describe, expect, it } from 'vitest';
import type { UserRecord } from './database.js';
import type { UserStore } from './users.js';

export interface UserStoreUnderTest {
  /** A fresh, empty store (called inside each test, after the file's own `beforeEach`). */
  open(): Promise<UserStore> | UserStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store (one process owns it). */
  sameStorage(store: UserStore): Promise<UserStore> | UserStore;
}

function person(id: string, changes: Partial<UserRecord> = {}): UserRecord {
  return { id, name: `Person ${id}`, email: `${id}@example.com`, passwordHash: 'hash', activated: true, createdAt: 1, ...changes };
}

export function userStoreContract(name: string, subject: UserStoreUnderTest): void {
  describe(`${name} user store`, () => {
    it('finds a created user by id and by email, with every field it was given', async () => {
      const users = await subject.open();
      const ada = person('u1', { name: 'Ada', bio: 'hi', visitor: { id: 'x', name: 'X', verified: true } });
      expect(await users.create(ada)).toBe(true);
      const other = await subject.sameStorage(users);
      expect(await other.byId('u1')).toEqual(ada);
      expect(await other.byEmail('u1@example.com')).toEqual(ada);
      expect(await other.byId('nobody')).toBeUndefined();
      expect(await other.byEmail('nobody@example.com')).toBeUndefined();
    });

    it('gives an email to one account only, and stores nothing of the refused one', async () => {
      const users = await subject.open();
      expect(await users.create(person('u1', { email: 'same@example.com' }))).toBe(true);
      expect(await users.create(person('u2', { email: 'same@example.com' }))).toBe(false);
      expect(await users.byId('u2')).toBeUndefined();
      expect((await users.byEmail('same@example.com'))?.id).toBe('u1');
      // The id is taken too: a second create under it changes nothing.
      expect(await users.create(person('u1', { email: 'other@example.com', name: 'Impostor' }))).toBe(false);
      expect((await users.byId('u1'))?.email).toBe('same@example.com');
      expect(await users.byEmail('other@example.com')).toBeUndefined();
    });

    it('makes one account of ten registrations of one email at the same moment, through two handles', async () => {
      const users = await subject.open();
      const other = await subject.sameStorage(users);
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? users : other).create(person(`r${i}`, { email: 'race@example.com' }))),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      const winner = `r${outcomes.indexOf(true)}`;
      expect((await users.byEmail('race@example.com'))?.id).toBe(winner);
      const stored = await Promise.all(outcomes.map((_, i) => users.byId(`r${i}`)));
      expect(stored.filter((user) => user !== undefined).map((user) => user?.id)).toEqual([winner]);
    });

    it('moves an account to a free email only, freeing the old one (issue 15 account settings)', async () => {
      const users = await subject.open();
      await users.create(person('u1'));
      await users.create(person('u2'));
      const other = await subject.sameStorage(users);
      expect(await other.changeEmail('u1', 'u2@example.com')).toBe(false);
      expect(await users.changeEmail('nobody', 'free@example.com')).toBe(false);
      expect(await other.changeEmail('u1', 'new@example.com')).toBe(true);
      expect(await users.byEmail('new@example.com')).toEqual(person('u1', { email: 'new@example.com' }));
      expect(await users.byEmail('u1@example.com')).toBeUndefined();
      expect((await users.byId('u1'))?.email).toBe('new@example.com');
      // The old address is free again.
      expect(await users.create(person('u3', { email: 'u1@example.com' }))).toBe(true);
      // Of two accounts claiming one address at once, one gets it.
      const claims = await Promise.all([users.changeEmail('u2', 'both@example.com'), other.changeEmail('u3', 'both@example.com')]);
      expect(claims.filter(Boolean)).toHaveLength(1);
    });

    it('lets any number of widget visitors exist with no email', async () => {
      const users = await subject.open();
      expect(await users.create(person('v1', { email: '', guestOf: 'site' }))).toBe(true);
      expect(await users.create(person('v2', { email: '', guestOf: 'site' }))).toBe(true);
      expect((await users.byId('v2'))?.guestOf).toBe('site');
    });

    it('stores changed fields, dropped ones included, and searches by the new name only', async () => {
      const users = await subject.open();
      await users.create(person('u1', { name: 'Ada', bio: 'old' }));
      const { bio: _dropped, ...rest } = { ...person('u1', { name: 'Grace', bio: 'old' }), location: 'Paris' };
      await users.update(rest);
      const stored = await (await subject.sameStorage(users)).byId('u1');
      expect(stored).toEqual(rest);
      expect(stored?.bio).toBeUndefined();
      expect(await users.searchByName('ada', 10, () => false)).toEqual([]);
      expect((await users.searchByName('gra', 10, () => false)).map((user) => user.id)).toEqual(['u1']);
    });

    it('finds people by the start of their name in any script, case-insensitively', async () => {
      const users = await subject.open();
      const names = ['Ann', 'Анна', 'Андрей', '张三', 'Zoë 🌻', 'an_x', 'a%b'];
      for (const [i, name] of names.entries()) await users.create(person(`u${i}`, { name }));
      const search = async (prefix: string) => (await users.searchByName(prefix, 10, () => false)).map((user) => user.name).sort();
      expect(await search('an')).toEqual(['Ann', 'an_x']);
      expect(await search('an_')).toEqual(['an_x']);
      expect(await search('a%')).toEqual(['a%b']);
      expect(await search('ан')).toEqual(['Андрей', 'Анна']);
      expect(await search('Анн')).toEqual(['Анна']);
      expect(await search('张')).toEqual(['张三']);
      expect(await search('zoë')).toEqual(['Zoë 🌻']);
    });

    it('searches activated people only, leaves out whom the caller excludes, and stops at the limit', async () => {
      const users = await subject.open();
      await users.create(person('u1', { name: 'Sam One' }));
      await users.create(person('u2', { name: 'Sam Two', activated: false }));
      await users.create(person('u3', { name: 'Sam Three' }));
      for (let i = 4; i < 10; i++) await users.create(person(`u${i}`, { name: `Sam ${i}` }));
      const found = await users.searchByName('sam', 3, (user) => user.id === 'u3');
      expect(found).toHaveLength(3);
      expect(found.map((user) => user.id)).not.toContain('u2');
      expect(found.map((user) => user.id)).not.toContain('u3');
    });

    it('lists users up to a limit', async () => {
      const users = await subject.open();
      for (let i = 0; i < 5; i++) await users.create(person(`u${i}`));
      expect((await users.list()).map((user) => user.id).sort()).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
      expect(await users.list(2)).toHaveLength(2);
    });
  });
}
