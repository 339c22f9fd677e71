/**
 * The one test suite every widget ticket store passes (sync-tickets.ts):
 * the in-memory one and the Redis one.
 */
import { describe, expect, it } from 'vitest';
import type { SyncTickets } from './sync-tickets.js';

export interface SyncTicketsUnderTest {
  /** A fresh store whose tickets live `ttlMs` (called inside each test, after the file's own `beforeEach`). */
  open(ttlMs?: number): SyncTickets;
  /**
   * Another handle on the same tickets, sharing nothing with `tickets` in
   * this process that the real deployment would not share (for Redis: its
   * own connection, as another relay has).
   */
  sameStore(tickets: SyncTickets): SyncTickets;
}

const alice = { userId: 'alice', sessionId: 'visitor:alice' };

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function syncTicketsContract(name: string, subject: SyncTicketsUnderTest): void {
  describe(`${name} widget tickets`, () => {
    it('redeems a ticket once, for the identity it was issued to', async () => {
      const tickets = subject.open();
      const before = Date.now();
      const { ticket, expiresAt } = await tickets.issue(alice);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 30_000);
      expect(await tickets.consume(ticket)).toEqual(alice);
      expect(await tickets.consume(ticket)).toBeNull();
    });

    it('knows no ticket it did not issue', async () => {
      const tickets = subject.open();
      await tickets.issue(alice);
      expect(await tickets.consume('not-a-ticket')).toBeNull();
      expect(await tickets.consume('')).toBeNull();
    });

    it('issues a different ticket every time', async () => {
      const tickets = subject.open();
      const issued = await Promise.all(Array.from({ length: 50 }, () => tickets.issue(alice)));
      expect(new Set(issued.map((i) => i.ticket)).size).toBe(50);
    });

    it('lets a ticket expire unused', async () => {
      const tickets = subject.open(100);
      const { ticket } = await tickets.issue(alice);
      await delay(200);
      expect(await tickets.consume(ticket)).toBeNull();
    });

    it('lets exactly one of two relays redeem a ticket both received at once', async () => {
      const first = subject.open();
      const second = subject.sameStore(first);
      for (let round = 0; round < 20; round++) {
        const { ticket } = await first.issue(alice);
        const results = await Promise.all([first.consume(ticket), second.consume(ticket)]);
        expect(results.filter((identity) => identity !== null)).toEqual([alice]);
      }
    });

    it('redeems on one relay a ticket issued on another', async () => {
      const first = subject.open();
      const second = subject.sameStore(first);
      const { ticket } = await first.issue(alice);
      expect(await second.consume(ticket)).toEqual(alice);
      expect(await first.consume(ticket)).toBeNull();
    });
  });
}
