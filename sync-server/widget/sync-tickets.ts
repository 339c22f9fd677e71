/**
 * Short-lived, single-use tickets for opening a sync socket from the
 * widget's iframe, which cannot send our session cookie to us as a third
 * party. The long-lived visitor token never appears in a URL; a ticket is
 * good for one upgrade within 30 seconds.
 */
import type { ConnectionIdentity } from '../relay/connection.js';
import { generateSecretToken } from '../ids/random-ids.js';

const TICKET_TTL_MS = 30_000;
/** Tickets outstanding at most; older ones are dropped first. */
const MAX_TICKETS = 50_000;

interface Ticket {
  identity: ConnectionIdentity;
  expiresAt: number;
}

export class SyncTickets {
  private readonly tickets = new Map<string, Ticket>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(identity: ConnectionIdentity): { ticket: string; expiresAt: number } {
    this.sweep();
    const ticket = generateSecretToken();
    const expiresAt = this.now() + TICKET_TTL_MS;
    this.tickets.set(ticket, { identity, expiresAt });
    return { ticket, expiresAt };
  }

  /** Uses a ticket up; null when unknown, used or expired. */
  consume(ticket: string): ConnectionIdentity | null {
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
