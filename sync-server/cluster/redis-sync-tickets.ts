/**
 * Widget sync tickets (widget/sync-tickets.ts) in Redis, single-use across
 * every relay: issued with `SET … NX PX` (the ticket's lifetime is the key's),
 * redeemed with `GETDEL`, which reads and deletes in one step, so of two
 * relays redeeming one ticket at once exactly one gets the identity. Redis
 * holds only the ticket's SHA-256, as the store does for every token.
 */
import type { Redis } from 'ioredis';
import { generateSecretToken, hashToken } from '../ids/random-ids.js';
import type { ConnectionIdentity } from '../relay/connection.js';
import { type IssuedTicket, type SyncTickets, TICKET_TTL_MS } from '../widget/sync-tickets.js';

/** Tries at most this many fresh tickets if one is taken (160 random bits: never, but SET NX says so rather than overwriting). */
const ISSUE_ATTEMPTS = 3;

export class RedisSyncTickets implements SyncTickets {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs = TICKET_TTL_MS,
  ) {}

  async issue(identity: ConnectionIdentity): Promise<IssuedTicket> {
    const value = JSON.stringify({ userId: identity.userId, sessionId: identity.sessionId });
    for (let attempt = 0; attempt < ISSUE_ATTEMPTS; attempt++) {
      const ticket = generateSecretToken();
      const expiresAt = Date.now() + this.ttlMs;
      if ((await this.redis.set(this.key(ticket), value, 'PX', this.ttlMs, 'NX')) === 'OK') return { ticket, expiresAt };
    }
    throw new Error('could not issue a unique widget ticket');
  }

  async consume(ticket: string): Promise<ConnectionIdentity | null> {
    const value = await this.redis.getdel(this.key(ticket));
    return value === null ? null : identityFrom(value);
  }

  private key(ticket: string): string {
    return `${this.keyPrefix}ticket:${hashToken(ticket)}`;
  }
}

/** Only what `issue` wrote is an identity; anything else in the key is refused, not trusted. */
function identityFrom(value: string): ConnectionIdentity | null {
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { userId, sessionId } = parsed as Record<string, unknown>;
    return typeof userId === 'string' && typeof sessionId === 'string' ? { userId, sessionId } : null;
  } catch {
    return null;
  }
}
