/**
 * Last seen in LevelDB (last-seen.ts): `lastSeen`, user id → record. A change
 * reads, then writes, under a lock per person.
 */
import type { Database } from './database.js';
import { KeyedLock } from './keyed-lock.js';
import { type LastSeenRecord, type LastSeenStore, markedRecord } from './last-seen.js';

export class LevelLastSeenStore implements LastSeenStore {
  private readonly records;
  private readonly lock = new KeyedLock();

  constructor(db: Database) {
    this.records = db.root.sublevel<string, LastSeenRecord>('lastSeen', { valueEncoding: 'json' });
  }

  markSeen(userId: string, online: boolean, at: number): Promise<void> {
    return this.lock.run(userId, async () => {
      const next = markedRecord(await this.records.get(userId), online, at);
      if (next) await this.records.put(userId, next);
    });
  }

  setHidden(userId: string, hidden: boolean): Promise<void> {
    return this.lock.run(userId, async () => {
      // Never seen yet: offline since the epoch, which any real mark overtakes.
      const stored = (await this.records.get(userId)) ?? { online: false, seenAt: 0, hidden };
      await this.records.put(userId, { ...stored, hidden });
    });
  }

  async recordsOf(userIds: readonly string[]): Promise<Map<string, LastSeenRecord>> {
    const found = new Map<string, LastSeenRecord>();
    if (userIds.length === 0) return found;
    const values = await this.records.getMany([...userIds]);
    values.forEach((record, index) => {
      if (record) found.set(userIds[index], record);
    });
    return found;
  }
}
