/**
 * Single-use tokens sent by mail (activation, password reset): random,
 * stored hashed with purpose and expiry, deleted when used. Using one is
 * read-then-delete under a lock per token, so of parallel uses exactly one wins.
 */
import type { Database, TokenPurpose } from '../store/database.js';
import { KeyedLock } from '../store/keyed-lock.js';
import { generateSecretToken, hashToken } from '../ids/random-ids.js';

export type TokenCheck = { ok: true; userId: string } | { ok: false; error: 'invalid_token' | 'token_expired' };

export class OneTimeTokens {
  constructor(
    private readonly db: Database,
    private readonly now: () => number = Date.now,
  ) {}

  private readonly useLock = new KeyedLock();

  async issue(userId: string, purpose: TokenPurpose, ttlMs: number): Promise<string> {
    const token = generateSecretToken();
    await this.db.tokens.put(hashToken(token), { userId, purpose, expiresAt: this.now() + ttlMs });
    return token;
  }

  /** Whose valid token this is, without using it up (undefined when it is not valid). */
  async holder(token: string, purpose: TokenPurpose): Promise<string | undefined> {
    const record = await this.db.tokens.get(hashToken(token));
    if (!record || record.purpose !== purpose || this.now() >= record.expiresAt) return undefined;
    return record.userId;
  }

  /** Uses a token up: valid or not, it can never be used again afterwards. */
  async consume(token: string, purpose: TokenPurpose): Promise<TokenCheck> {
    const key = hashToken(token);
    return this.useLock.run(key, () => this.consumeNow(key, purpose));
  }

  private async consumeNow(key: string, purpose: TokenPurpose): Promise<TokenCheck> {
    const record = await this.db.tokens.get(key);
    if (!record || record.purpose !== purpose) return { ok: false, error: 'invalid_token' };
    await this.db.tokens.del(key);
    if (this.now() >= record.expiresAt) return { ok: false, error: 'token_expired' };
    return { ok: true, userId: record.userId };
  }
}
