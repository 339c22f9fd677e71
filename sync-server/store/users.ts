/**
 * People's accounts: the calls the services make of the store that holds
 * them. `LevelUserStore` (level-users.ts) is the embedded one, `PostgresUserStore`
 * (postgres/postgres-users.ts) the cluster's; both pass users.contract.ts.
 * Emails arrive normalized (shared/api.ts trims and lowercases them) and
 * belong to at most one account.
 */
import type { UserRecord } from './database.js';

export interface UserStore {
  byId(id: string): Promise<UserRecord | undefined>;
  byEmail(email: string): Promise<UserRecord | undefined>;
  /**
   * Stores a new user and claims its email; false (and nothing stored) when
   * the id or the email is taken, even by an account made at the same moment.
   * Widget visitors have the empty email, which claims nothing.
   */
  create(user: UserRecord): Promise<boolean>;
  /** Stores changed fields of an existing user (never its email). */
  update(user: UserRecord): Promise<void>;
  /**
   * Moves an account to another email (account settings): the new address is
   * claimed and the old one freed at once; false (nothing changed) when the
   * new one is taken, even by an account made at the same moment, or there is no such user.
   */
  changeEmail(id: string, email: string): Promise<boolean>;
  /** Activated people whose name starts with `prefix` (case-insensitive), at most `limit`, leaving out those `exclude` refuses. */
  searchByName(prefix: string, limit: number, exclude: (user: UserRecord) => boolean): Promise<UserRecord[]>;
  /** Up to `limit` users, in no promised order (the admin's listing). */
  list(limit?: number): Promise<UserRecord[]>;
}
