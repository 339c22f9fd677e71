/** People's accounts: one record per user, and an index from email to user id. */
import type { Database, UserRecord } from './database.js';
import { compositeKey, prefixRange } from './keys.js';

/** Names are searched by case-insensitive prefix. */
function nameKey(user: Pick<UserRecord, 'id' | 'name'>): string {
  return compositeKey(user.name.toLowerCase(), user.id);
}

export class UserStore {
  constructor(private readonly db: Database) {}

  async byId(id: string): Promise<UserRecord | undefined> {
    return this.db.users.get(id);
  }

  async byEmail(email: string): Promise<UserRecord | undefined> {
    const id = await this.db.emails.get(email);
    return id === undefined ? undefined : this.db.users.get(id);
  }

  /** Stores a new user and claims its email in one batch; the caller checked the email is free. */
  async create(user: UserRecord): Promise<void> {
    await this.db.root
      .batch()
      .put(user.id, user, { sublevel: this.db.users })
      .put(user.email, user.id, { sublevel: this.db.emails })
      .put(nameKey(user), user.id, { sublevel: this.db.names })
      .write();
  }

  /** Stores changed fields, keeping the name index in step. */
  async update(user: UserRecord): Promise<void> {
    const previous = await this.db.users.get(user.id);
    const batch = this.db.root.batch().put(user.id, user, { sublevel: this.db.users });
    if (previous && previous.name !== user.name) batch.del(nameKey(previous), { sublevel: this.db.names });
    batch.put(nameKey(user), user.id, { sublevel: this.db.names });
    await batch.write();
  }

  /** Activated people whose name starts with `prefix` (case-insensitive), at most `limit`. */
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
