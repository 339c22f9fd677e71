/**
 * Single-use token records (auth/one-time-tokens.ts holds the rules): the
 * calls it makes of the store, keyed by the token's SHA-256. `LevelTokenRecordStore`
 * (level-tokens.ts) is the embedded one, `PostgresTokenRecordStore`
 * (postgres/postgres-tokens.ts) the cluster's; both pass tokens.contract.ts.
 */
import type { TokenPurpose, TokenRecord } from './database.js';

export interface TokenRecordStore {
  put(hash: string, record: TokenRecord): Promise<void>;
  get(hash: string): Promise<TokenRecord | undefined>;
  /** Removes the token and returns it, when it exists for this purpose; of parallel takes (in any process) exactly one gets it. */
  take(hash: string, purpose: TokenPurpose): Promise<TokenRecord | undefined>;
}
