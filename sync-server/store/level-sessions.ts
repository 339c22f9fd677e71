/** Session records in LevelDB (sessions.ts): by id, and `userId!sessionId` to find every session of a person. */
import type { Database, SessionRecord } from './database.js';
import { KeyedLock } from './keyed-lock.js';
import { compositeKey, keyPrefix, prefixRange } from './keys.js';
import type { SessionRecordStore } from './sessions.js';

export class LevelSessionRecordStore implements SessionRecordStore {
  /** One process owns the directory: a lock per session makes read-change-write atomic. */
  private readonly writeLock = new KeyedLock();

  constructor(private readonly db: Database) {}

  async get(id: string): Promise<SessionRecord | undefined> {
    return this.db.sessions.get(id);
  }

  async create(session: SessionRecord): Promise<void> {
    await this.db.root
      .batch()
      .put(session.id, session, { sublevel: this.db.sessions })
      .put(compositeKey(session.userId, session.id), true, { sublevel: this.db.userSessions })
      .write();
  }

  async change(id: string, change: (current: SessionRecord) => SessionRecord | null): Promise<SessionRecord | null> {
    return this.writeLock.run(id, async () => {
      const current = await this.db.sessions.get(id);
      const next = current ? change(current) : null;
      if (next) await this.db.sessions.put(id, next);
      return next;
    });
  }

  async delete(id: string): Promise<void> {
    await this.writeLock.run(id, async () => {
      const session = await this.db.sessions.get(id);
      const batch = this.db.root.batch().del(id, { sublevel: this.db.sessions });
      if (session) batch.del(compositeKey(session.userId, id), { sublevel: this.db.userSessions });
      await batch.write();
    });
  }

  async idsOf(userId: string): Promise<string[]> {
    const prefix = keyPrefix(userId);
    return (await this.db.userSessions.keys(prefixRange(prefix)).all()).map((key) => key.slice(prefix.length));
  }
}
