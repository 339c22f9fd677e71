/**
 * To prove something does not happen later (y-websocket reconnecting after
 * its backoff, the picture outbox retrying), a test fakes setTimeout alone,
 * so sockets, IndexedDB and `wait-for.ts` keep real time, then runs every
 * timeout that was set, at once. Restore with `vi.useRealTimers()` in
 * `afterEach`.
 */
import { vi } from 'vitest';

/** Fakes setTimeout and clearTimeout, nothing else. */
export function fakeTimeouts(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
}

/**
 * Runs every pending timeout now (each reconnect the provider scheduled
 * among them) and says whether the provider then holds a socket: opening
 * one is synchronous, so a reconnect cannot hide from this.
 */
export function opensSocketWhenTimeoutsRun(provider: { readonly ws: object | null }): boolean {
  vi.runAllTimers();
  return provider.ws !== null;
}
