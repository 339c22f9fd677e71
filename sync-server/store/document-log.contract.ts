/**
 * The one test suite every document log implementation passes (document-log.ts).
 * Call `documentLogContract` from a test file with a way to open a fresh,
 * empty log; the suite registers its tests under `describe(name)`.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocumentLog } from './document-log.js';

export interface DocumentLogUnderTest {
  /** A fresh, empty log (called inside each test, after the file's own `beforeEach`). */
  open(): Promise<DocumentLog> | DocumentLog;
  /** Another handle on the same storage, sharing nothing with `log` in memory (a restart, another reader). */
  sameStorage(log: DocumentLog): Promise<DocumentLog> | DocumentLog;
}

/** Updates that each set `m.k<i>` to i, in order. */
function mapUpdates(count: number, from = 0): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = from; i < from + count; i++) doc.getMap('m').set(`k${i}`, i);
  return { doc, updates };
}

function mapOf(update: Uint8Array): Record<string, unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getMap('m').toJSON();
}

export function documentLogContract(name: string, subject: DocumentLogUnderTest): void {
  describe(`${name} document log`, () => {
    it('loads a document nothing was written to as empty, at clock 0', async () => {
      const log = await subject.open();
      const stored = await log.load('conv/none');
      expect(stored).toMatchObject({ entries: 0, nextClock: 0 });
      expect(stored.clientOwners.size).toBe(0);
      expect(mapOf(stored.update)).toEqual({});
    });

    it('loads what was appended, merged, with the clock to continue from', async () => {
      const log = await subject.open();
      const { updates } = mapUpdates(5);
      await log.load('conv/a');
      for (const [clock, update] of updates.slice(0, 2).entries()) {
        expect(await log.append('conv/a', { updates: [update], clientOwners: [] }, clock)).toEqual({ stored: true });
      }
      expect(await log.append('conv/a', { updates: updates.slice(2), clientOwners: [] }, 2)).toEqual({ stored: true });
      const stored = await (await subject.sameStorage(log)).load('conv/a');
      expect(stored).toMatchObject({ entries: 5, nextClock: 5 });
      expect(mapOf(stored.update)).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
    });

    it('stores client owners with their batch, and owners alone without moving the clock', async () => {
      const log = await subject.open();
      const { updates } = mapUpdates(1);
      await log.load('conv/a');
      await log.append('conv/a', { updates, clientOwners: [[11, 'alice']] }, 0);
      await log.append('conv/a', { updates: [], clientOwners: [[12, 'bob']] }, 1);
      const stored = await (await subject.sameStorage(log)).load('conv/a');
      expect(stored.nextClock).toBe(1);
      expect([...stored.clientOwners]).toEqual([
        [11, 'alice'],
        [12, 'bob'],
      ]);
    });

    it('refuses an append that does not continue the log, and stores nothing of it', async () => {
      const log = await subject.open();
      const { updates } = mapUpdates(3);
      await log.load('conv/a');
      await log.append('conv/a', { updates: [updates[0]], clientOwners: [] }, 0);
      // A writer that did not see clock 0 being written, and one that skips a clock.
      expect(await log.append('conv/a', { updates: [updates[1]], clientOwners: [[7, 'mallory']] }, 0)).toEqual({
        stored: false,
        nextClock: 1,
      });
      expect(await log.append('conv/a', { updates: [updates[2]], clientOwners: [] }, 2)).toEqual({ stored: false, nextClock: 1 });
      const stored = await (await subject.sameStorage(log)).load('conv/a');
      expect(stored).toMatchObject({ entries: 1, nextClock: 1 });
      expect(stored.clientOwners.size).toBe(0);
      expect(mapOf(stored.update)).toEqual({ k0: 0 });
    });

    it('keeps documents apart even when one name prefixes another', async () => {
      const log = await subject.open();
      const { updates } = mapUpdates(1);
      await log.load('conv/a');
      await log.append('conv/a', { updates, clientOwners: [[1, 'alice']] }, 0);
      const other = await log.load('conv/ab');
      expect(other).toMatchObject({ entries: 0, nextClock: 0 });
      expect(other.clientOwners.size).toBe(0);
      expect((await log.load('conv/a')).entries).toBe(1);
    });

    it('compacts the entries below a clock into one, keeping later ones and everything they hold', async () => {
      const log = await subject.open();
      const { updates } = mapUpdates(20);
      await log.load('conv/a');
      await log.append('conv/a', { updates: updates.slice(0, 18), clientOwners: [] }, 0);
      // Entries 18 and 19 are appended while the compaction of the first 18 is prepared.
      await log.append('conv/a', { updates: updates.slice(18), clientOwners: [] }, 18);
      const partial = new Y.Doc();
      updates.slice(0, 18).forEach((update) => Y.applyUpdate(partial, update));
      await log.compact('conv/a', 18, Y.encodeStateAsUpdate(partial));
      let stored = await (await subject.sameStorage(log)).load('conv/a');
      expect(stored).toMatchObject({ entries: 3, nextClock: 20 });
      expect(Object.keys(mapOf(stored.update))).toHaveLength(20);
      const after = await subject.sameStorage(log);
      await after.load('conv/a');
      expect(await after.append('conv/a', { updates: mapUpdates(1, 20).updates, clientOwners: [] }, 20)).toEqual({ stored: true });
      stored = await after.load('conv/a');
      expect(stored).toMatchObject({ entries: 4, nextClock: 21 });
      expect(Object.keys(mapOf(stored.update))).toHaveLength(21);
    });
  });
}
