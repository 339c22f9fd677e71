/**
 * The one test suite every reminder store passes (reminders.ts). Call
 * `reminderStoreContract` from a test file with a way to open a fresh, empty
 * store and a second handle on the same storage.
 */
import { describe, expect, it } from 'vitest';
import type { ReminderRecord } from './database.js';
import type { ReminderStore } from './reminders.js';

export interface ReminderStoreUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<ReminderStore> | ReminderStore;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store (one process). */
  sameStorage(store: ReminderStore): Promise<ReminderStore> | ReminderStore;
}

function reminder(id: string, dueAt: number): ReminderRecord {
  return { id, conversationId: `r${id}`, userId: 'u1', text: `do ${id}`, dueAt };
}

export function reminderStoreContract(name: string, subject: ReminderStoreUnderTest): void {
  describe(`${name} reminder store`, () => {
    it('hands out the due reminders, earliest first, up to a limit, and says when the next is due', async () => {
      const reminders = await subject.open();
      expect(await reminders.nextDueAt()).toBeUndefined();
      await reminders.add(reminder('late', 300));
      await reminders.add(reminder('b', 200));
      await reminders.add(reminder('a', 100));
      await reminders.add(reminder('c', 250));
      expect(await reminders.nextDueAt()).toBe(100);
      expect(await reminders.claimDue(250, 2, 1000)).toEqual([reminder('a', 100), reminder('b', 200)]);
      expect(await reminders.claimDue(250, 10, 1000)).toEqual([reminder('c', 250)]);
      expect(await reminders.claimDue(250, 10, 1000)).toEqual([]);
    });

    it('keeps a claimed reminder from others until it is released or its claim ends, and forgets a removed one', async () => {
      const reminders = await subject.open();
      const other = await subject.sameStorage(reminders);
      await reminders.add(reminder('a', 100));
      await reminders.add(reminder('b', 100));
      expect((await reminders.claimDue(100, 10, 1000)).map((r) => r.id)).toEqual(['a', 'b']);
      expect(await other.claimDue(500, 10, 1000)).toEqual([]);
      await reminders.release('a');
      expect((await other.claimDue(500, 10, 1000)).map((r) => r.id)).toEqual(['a']);
      // b's claim (until 1100) has ended by 1100: a crashed relay's reminders are delivered by another.
      expect((await other.claimDue(1100, 10, 1000)).map((r) => r.id)).toEqual(['b']);
      await other.remove('a');
      await other.remove('b');
      expect(await reminders.nextDueAt()).toBeUndefined();
      expect(await reminders.claimDue(10_000, 10, 1000)).toEqual([]);
    });

    it('gives each of 100 reminders due at once to exactly one of three claimers', async () => {
      const first = await subject.open();
      const claimers = [first, await subject.sameStorage(first), await subject.sameStorage(first)];
      for (let i = 0; i < 100; i++) await first.add(reminder(`r${String(i).padStart(3, '0')}`, 100 + i));
      const rounds = await Promise.all(
        claimers.map(async (claimer) => {
          const mine: string[] = [];
          for (let round = 0; round < 20; round++) {
            const claimed = await claimer.claimDue(1000, 7, 60_000);
            if (claimed.length === 0) break;
            mine.push(...claimed.map((r) => r.id));
          }
          return mine;
        }),
      );
      const all = rounds.flat();
      expect(all).toHaveLength(100);
      expect(new Set(all).size).toBe(100);
    });
  });
}
