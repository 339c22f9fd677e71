/** People's accounts: one record per user, and an index from email to user id. */
import type { Database, UserRecord } from './database.js';

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
      .write();
  }

  async update(user: UserRecord): Promise<void> {
    await this.db.users.put(user.id, user);
  }

  async list(limit = 1000): Promise<UserRecord[]> {
    return this.db.users.values({ limit }).all();
  }
}
