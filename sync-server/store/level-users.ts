/** People's accounts in LevelDB (users.ts): one record per user, an index from email to user id, and one from lowercase name to id for search. */
import type { Database, UserRecord } from './database.js';
import { KeyedLock } from './keyed-lock.js';
import { compositeKey, prefixRange } from './keys.js';
import type { UserStore } from './users.js';

/** Names are searched by case-insensitive prefix. */
function nameKey(user: Pick<UserRecord, 'id' | 'name'>): string {
  return compositeKey(user.name.toLowerCase(), user.id);
}

export class LevelUserStore implements UserStore {
  /** One process owns the directory, so a lock per email makes check-then-claim atomic. */
  private readonly emailLock = new KeyedLock();

  constructor(private readonly db: Database) {}

  async byId(id: string): Promise<UserRecord | undefined> {
    return this.db.users.get(id);
  }

  async byEmail(email: string): Promise<UserRecord | undefined> {
    const id = await this.db.emails.get(email);
    return id === undefined ? undefined : this.db.users.get(id);
  }

  async create(user: UserRecord): Promise<boolean> {
    return this.emailLock.run(user.email, async () => {
      if ((await this.db.users.get(user.id)) !== undefined) return false;
      // Widget visitors have no email (''): they claim none.
      if (user.email !== '' && (await this.db.emails.get(user.email)) !== undefined) return false;
      const batch = this.db.root.batch().put(user.id, user, { sublevel: this.db.users });
      if (user.email !== '') batch.put(user.email, user.id, { sublevel: this.db.emails });
      await batch.put(nameKey(user), user.id, { sublevel: this.db.names }).write();
      return true;
    });
  }

  async changeEmail(id: string, email: string): Promise<boolean> {
    return this.emailLock.run(email, async () => {
      if ((await this.db.emails.get(email)) !== undefined) return false;
      const user = await this.db.users.get(id);
      if (!user) return false;
      const batch = this.db.root.batch().put(id, { ...user, email }, { sublevel: this.db.users });
      if (user.email !== '') batch.del(user.email, { sublevel: this.db.emails });
      await batch.put(email, id, { sublevel: this.db.emails }).write();
      return true;
    });
  }

  /** Stores changed fields, keeping the name index in step. */
  async update(user: UserRecord): Promise<void> {
    const previous = await this.db.users.get(user.id);
    const batch = this.db.root.batch().put(user.id, user, { sublevel: this.db.users });
    if (previous && previous.name !== user.name) batch.del(nameKey(previous), { sublevel: this.db.names });
    batch.put(nameKey(user), user.id, { sublevel: this.db.names });
    await batch.write();
  }

  async searchByName(prefix: string, limit: number, exclude: (user: UserRecord) => boolean): Promise<UserRecord[]> {
    const start = prefix.toLowerCase();
    const found: UserRecord[] = [];
    // Bounded scan: inactive or excluded people never make the page grow without end.
    for await (const id of this.db.names.values({ ...prefixRange(start), limit: limit * 5 })) {
      const user = await this.db.users.get(id);
      if (user?.activated && !exclude(user)) found.push(user);
      if (found.length >= limit) break;
    }
    return found;
  }

  async list(limit = 1000): Promise<UserRecord[]> {
    return this.db.users.values({ limit }).all();
  }
}
