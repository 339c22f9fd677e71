/**
 * Session records (auth/session.ts holds the rules: tokens, expiry, renewal):
 * the calls it makes of the store. `LevelSessionRecordStore` (level-sessions.ts)
 * is the embedded one, `PostgresSessionRecordStore` (postgres/postgres-sessions.ts)
 * the cluster's; both pass sessions.contract.ts. A record holds the SHA-256
 * of the token's secret, never the secret.
 */
import type { SessionRecord } from './database.js';

export interface SessionRecordStore {
  get(id: string): Promise<SessionRecord | undefined>;
  create(session: SessionRecord): Promise<void>;
  /**
   * Re-reads the session and writes what `change` makes of it, with no other
   * write to it in between (from any process): a renewal never brings back an
   * ended session nor undoes a concurrent change. `change` returns null to
   * write nothing. Returns the written record, or null.
   */
  change(id: string, change: (current: SessionRecord) => SessionRecord | null): Promise<SessionRecord | null>;
  delete(id: string): Promise<void>;
  /** Ids of every session of a person. */
  idsOf(userId: string): Promise<string[]>;
}
