/**
 * Single-use tokens sent by mail (activation, password reset, email change): random,
 * stored hashed with purpose and expiry, deleted when used. Using one takes
 * it out of the store atomically (store/tokens.ts), so of parallel uses exactly one wins.
 */
import { generateSecretToken, hashToken } from '../ids/random-ids.js';
import type { TokenPurpose } from '../store/database.js';
import type { TokenRecordStore } from '../store/tokens.js';

/** `email`: for an email-change token, the new address it was mailed to; for an email-revert one, the old address. */
export type TokenCheck =
  | { ok: true; userId: string; email?: string; expiresAt: number }
  | { ok: false; error: 'invalid_token' | 'token_expired' };

export class OneTimeTokens {
  constructor(
    private readonly records: TokenRecordStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** `email`: the new address an email-change token is mailed to (and sets when used). */
  async issue(userId: string, purpose: TokenPurpose, ttlMs: number, email?: string): Promise<string> {
    const token = generateSecretToken();
    await this.records.put(hashToken(token), { userId, purpose, expiresAt: this.now() + ttlMs, ...(email === undefined ? {} : { email }) });
    return token;
  }

  /** Whose valid token this is, without using it up (undefined when it is not valid). */
  async holder(token: string, purpose: TokenPurpose): Promise<string | undefined> {
    const record = await this.records.get(hashToken(token));
    if (!record || record.purpose !== purpose || this.now() >= record.expiresAt) return undefined;
    return record.userId;
  }

  /** Uses a token up: valid or not, it can never be used again afterwards. */
  async consume(token: string, purpose: TokenPurpose): Promise<TokenCheck> {
    const record = await this.records.take(hashToken(token), purpose);
    if (!record) return { ok: false, error: 'invalid_token' };
    if (this.now() >= record.expiresAt) return { ok: false, error: 'token_expired' };
    const { userId, expiresAt, email } = record;
    return email === undefined ? { ok: true, userId, expiresAt } : { ok: true, userId, expiresAt, email };
  }
}
