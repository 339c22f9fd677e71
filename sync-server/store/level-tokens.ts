/** Single-use token records in LevelDB (tokens.ts), by the token's SHA-256. */
import type { Database, TokenPurpose, TokenRecord } from './database.js';
import { KeyedLock } from './keyed-lock.js';
import type { TokenRecordStore } from './tokens.js';

export class LevelTokenRecordStore implements TokenRecordStore {
  /** One process owns the directory: read-then-delete under a lock per token lets exactly one take win. */
  private readonly takeLock = new KeyedLock();

  constructor(private readonly db: Database) {}

  async put(hash: string, record: TokenRecord): Promise<void> {
    await this.db.tokens.put(hash, record);
  }

  async get(hash: string): Promise<TokenRecord | undefined> {
    return this.db.tokens.get(hash);
  }

  async take(hash: string, purpose: TokenPurpose): Promise<TokenRecord | undefined> {
    return this.takeLock.run(hash, async () => {
      const record = await this.db.tokens.get(hash);
      if (!record || record.purpose !== purpose) return undefined;
      await this.db.tokens.del(hash);
      return record;
    });
  }
}
