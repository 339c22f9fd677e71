/** Widget sync tickets (sync-tickets.ts) in this process's memory: the default, for one relay. */
import { generateSecretToken } from '../ids/random-ids.js';
import type { ConnectionIdentity } from '../relay/connection.js';
import { type IssuedTicket, type SyncTickets, TICKET_TTL_MS } from './sync-tickets.js';

/** Tickets outstanding at most; older ones are dropped first. */
const MAX_TICKETS = 50_000;

interface Ticket {
  identity: ConnectionIdentity;
  expiresAt: number;
}

export class MemorySyncTickets implements SyncTickets {
  private readonly tickets = new Map<string, Ticket>();

  constructor(
    private readonly ttlMs = TICKET_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async issue(identity: ConnectionIdentity): Promise<IssuedTicket> {
    this.sweep();
    const ticket = generateSecretToken();
    const expiresAt = this.now() + this.ttlMs;
    this.tickets.set(ticket, { identity, expiresAt });
    return { ticket, expiresAt };
  }

  async consume(ticket: string): Promise<ConnectionIdentity | null> {
    // Read and delete with no await between: of two redemptions, the second finds nothing.
    const entry = this.tickets.get(ticket);
    if (!entry) return null;
    this.tickets.delete(ticket);
    return this.now() < entry.expiresAt ? entry.identity : null;
  }

  private sweep(): void {
    const now = this.now();
    for (const [ticket, entry] of this.tickets) {
      if (entry.expiresAt <= now || this.tickets.size > MAX_TICKETS) this.tickets.delete(ticket);
      else break; // Insertion order is expiry order: the rest are younger.
    }
  }
}
