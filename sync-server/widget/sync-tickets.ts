/**
 * Short-lived, single-use tickets for opening a sync socket from the
 * widget's iframe, which cannot send our session cookie to us as a third
 * party. The long-lived visitor token never appears in a URL; a ticket is
 * good for one upgrade within 30 seconds. One interface, two homes: this
 * process's memory (memory-sync-tickets.ts, the default) or Redis
 * (cluster/redis-sync-tickets.ts), where a ticket is single-use across every
 * relay of a cluster, whichever one the load balancer sends the socket to.
 */
import type { ConnectionIdentity } from '../relay/connection.js';

export const TICKET_TTL_MS = 30_000;

export interface IssuedTicket {
  ticket: string;
  /** Milliseconds since the epoch; the widget fetches a new ticket after it. */
  expiresAt: number;
}

export interface SyncTickets {
  /** A new ticket for this identity. */
  issue(identity: ConnectionIdentity): Promise<IssuedTicket>;
  /** Uses a ticket up; null when unknown, used or expired. Of two redemptions at once, one wins. */
  consume(ticket: string): Promise<ConnectionIdentity | null>;
}
