/** Digest records in LevelDB (digest-records.ts), under the relay's old keys: `pushDigest`, user id → record. */
import type { Database } from './database.js';
import type { DigestRecord, DigestRecordStore } from './digest-records.js';
import { KeyedLock } from './keyed-lock.js';

export class LevelDigestRecordStore implements DigestRecordStore {
  private readonly records;
  /** One process owns DATA_DIR: a lock per person makes read, change, write one step. */
  private readonly lock = new KeyedLock();

  constructor(db: Database) {
    this.records = db.root.sublevel<string, DigestRecord>('pushDigest', { valueEncoding: 'json' });
  }

  update(userId: string, change: (record: DigestRecord | undefined) => DigestRecord | undefined): Promise<void> {
    return this.lock.run(userId, async () => {
      const next = change(await this.records.get(userId));
      if (next) await this.records.put(userId, next);
      else await this.records.del(userId);
    });
  }

  async waiting(): Promise<Array<{ userId: string; since: number }>> {
    const waiting: Array<{ userId: string; since: number }> = [];
    for await (const [userId, record] of this.records.iterator()) waiting.push({ userId, since: record.since });
    return waiting;
  }

  take(userId: string): Promise<DigestRecord | undefined> {
    return this.lock.run(userId, async () => {
      const record = await this.records.get(userId);
      if (record) await this.records.del(userId);
      return record;
    });
  }
}
