/**
 * The one test suite every store of shared conversation heads passes
 * (participants/head-table.ts, `HeadRecords`), driven through the
 * `HeadTable` the server uses. Call `headRecordsContract` with a way to open
 * a fresh, empty store and a second handle on the same storage (another
 * relay), and whether a catch-up also sends heads written in the last
 * seconds whatever their rev (PostgreSQL, store/postgres/postgres-head-records.ts).
 */
import { describe, expect, it } from 'vitest';
import type { SharedHead } from '../../shared/heads.js';
import { HeadTable, type HeadRecords } from '../participants/head-table.js';

export interface HeadRecordsUnderTest {
  /** A fresh, empty store (called inside each test). */
  open(): Promise<HeadRecords> | HeadRecords;
  /** Another handle on the same storage: for PostgreSQL another pool (another relay), for LevelDB the same store. */
  sameStorage(store: HeadRecords): Promise<HeadRecords> | HeadRecords;
  /** A catch-up also sends what was written in the last seconds, whatever its rev (a cluster's stores). */
  resendsRecent: boolean;
}

function head(seq: number, preview = `message ${seq}`): SharedHead {
  return { seq, at: 1_700_000_000_000 + seq, author: 'u1', kind: 'text', preview };
}

export function headRecordsContract(name: string, subject: HeadRecordsUnderTest): void {
  describe(`${name} shared head records`, () => {
    it('keeps one record per conversation, the latest, read many at once and by another relay', async () => {
      const store = await subject.open();
      const other = await subject.sameStorage(store);
      expect(await store.recordsOf([])).toEqual(new Map());
      expect(await store.recordsOf(['c1'])).toEqual(new Map());
      await store.put('c1', { head: head(1), rev: 10 });
      await store.put('c2', { head: head(4), rev: 11 });
      await store.put('c1', { head: head(2), rev: 12 });
      expect(await other.recordsOf(['c1', 'c2', 'c3'])).toEqual(
        new Map([
          ['c1', { head: head(2), rev: 12 }],
          ['c2', { head: head(4), rev: 11 }],
        ]),
      );
    });

    it('numbers heads so that revs grow across conversations and relays, and skips a head equal to the stored one', async () => {
      const store = await subject.open();
      const relayA = new HeadTable(store);
      const relayB = new HeadTable(await subject.sameStorage(store));
      const first = await relayA.put('c1', head(1));
      const second = await relayB.put('c2', head(1));
      // The owner moved: relay B writes c1's next head, above what relay A wrote.
      const third = await relayB.put('c1', head(2));
      const fourth = await relayA.put('c2', head(2, 'Picture'));
      expect(first && second && third && fourth).toBeTruthy();
      const revs = [first, second, third, fourth].map((record) => record?.rev ?? 0);
      expect(revs[1]).toBeGreaterThanOrEqual(revs[0]);
      expect(revs[2]).toBeGreaterThan(revs[0]);
      expect(revs[2]).toBeGreaterThanOrEqual(revs[1]);
      expect(revs[3]).toBeGreaterThan(revs[1]);
      expect(await relayB.put('c1', head(2))).toBeNull();
      expect((await store.recordsOf(['c1'])).get('c1')).toEqual({ head: head(2), rev: revs[2] });
    });

    it('numbers a head above a record written as it was (a copied or filled store)', async () => {
      const store = await subject.open();
      await store.put('c1', { head: head(1), rev: 5_000_000_000_000 });
      const record = await new HeadTable(await subject.sameStorage(store)).put('c2', head(1));
      expect(record?.rev).toBeGreaterThan(subject.resendsRecent ? 5_000_000_000_000 : 0);
      const next = await new HeadTable(store).put('c1', head(2));
      expect(next?.rev).toBeGreaterThan(5_000_000_000_000);
    });

    it('catches up with the heads above since, of the conversations asked for only', async () => {
      const store = await subject.open();
      const table = new HeadTable(store);
      const one = await table.put('c1', head(1));
      const two = await table.put('c2', head(1));
      const three = await table.put('c3', head(1));
      if (!one || !two || !three) throw new Error('every head was new');
      const caughtUp = await new HeadTable(await subject.sameStorage(store)).since(['c1', 'c2', 'c4'], one.rev);
      // c3 is not asked for (not a member): never sent, however new.
      expect(caughtUp.has('c3')).toBe(false);
      expect(caughtUp.has('c4')).toBe(false);
      expect(caughtUp.get('c2')).toEqual(two);
      // c1's rev is not above since: only a store that resends what is recent sends it again.
      expect(caughtUp.get('c1')).toEqual(subject.resendsRecent ? one : undefined);
      expect(await table.since([], 0)).toEqual(new Map());
    });

    it('a catch-up past a head numbered earlier but written later still gets it, in a cluster', async () => {
      if (!subject.resendsRecent) return;
      const store = await subject.open();
      // Relay A numbered c1's head first, relay B numbered and wrote c2's, then A's write landed.
      await store.put('c2', { head: head(1), rev: 21 });
      await store.put('c1', { head: head(1), rev: 20 });
      const caughtUp = await new HeadTable(await subject.sameStorage(store)).since(['c1', 'c2'], 21);
      expect(caughtUp.get('c1')).toEqual({ head: head(1), rev: 20 });
    });
  });
}
