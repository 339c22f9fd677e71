import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol.js';
import { backoffDelay, TicketReconnect, type TicketAnswer, type TicketedProvider } from './ticket-reconnect.js';

type CloseListener = (event: { code: number; reason: string } | null) => void;

/** Behaves like y-websocket's provider where it matters: a socket per connect(), and `connection-close` before `ws` is cleared. */
class FakeProvider implements TicketedProvider {
  params: Record<string, string> = {};
  shouldConnect = false;
  wsconnected = false;
  ws: unknown = null;
  /** The ticket each socket was opened with. */
  readonly sockets: string[] = [];
  private readonly closeListeners = new Set<CloseListener>();
  private readonly syncListeners = new Set<(synced: boolean) => void>();

  connect(): void {
    this.shouldConnect = true;
    if (this.ws !== null) return;
    this.ws = {};
    this.sockets.push(this.params.ticket ?? '');
  }
  disconnect(): void {
    this.shouldConnect = false;
    if (this.ws !== null) this.close(null);
  }
  /** The socket closes (the server's code, or null for a close of our own). */
  close(event: { code: number; reason: string } | null): void {
    for (const listener of this.closeListeners) listener(event);
    this.ws = null;
    this.wsconnected = false;
  }
  synced(): void {
    this.wsconnected = true;
    for (const listener of this.syncListeners) listener(true);
  }
  on(event: 'connection-close' | 'sync', listener: CloseListener & ((synced: boolean) => void)): void {
    (event === 'sync' ? this.syncListeners : this.closeListeners).add(listener);
  }
  off(event: 'connection-close' | 'sync', listener: CloseListener & ((synced: boolean) => void)): void {
    (event === 'sync' ? this.syncListeners : this.closeListeners).delete(listener);
  }
}

function setup(answers: TicketAnswer[] = [], online = { value: true }) {
  const provider = new FakeProvider();
  const timers: Array<{ run: () => void; ms: number }> = [];
  const events: string[] = [];
  let issued = 0;
  const reconnect = new TicketReconnect({
    provider,
    fetchTicket: async () => answers.shift() ?? { ok: true, ticket: `t${++issued}` },
    onTokenRefused: (status) => events.push(`token refused ${status}`),
    onStopped: (code) => events.push(`stopped ${code}`),
    isOnline: () => online.value,
    random: () => 0,
    setTimer: (run, ms) => timers.push({ run, ms }),
    clearTimer: () => timers.splice(0),
  });
  /** Runs the next timer and lets the ticket request answer. */
  const tick = async () => {
    timers.shift()?.run();
    await flush();
  };
  return { provider, reconnect, timers, events, tick };
}

/** One turn of the event loop, for the ticket request's promises to settle; no time passes (the reconnect's own timers are `timers`). */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('TicketReconnect', () => {
  it('opens every socket with a fresh ticket', async () => {
    const { provider, reconnect, tick } = setup();
    reconnect.start();
    await flush();
    expect(provider.sockets).toEqual(['t1']);
    provider.close({ code: 1006, reason: '' });
    await tick();
    expect(provider.sockets).toEqual(['t1', 't2']);
  });

  it('does not let y-websocket reconnect on its own with the spent ticket', async () => {
    const { provider, reconnect } = setup();
    reconnect.start();
    await flush();
    // y-websocket's watchdog closes "locally" and would call connect() again after its own delay.
    provider.close(null);
    expect(provider.shouldConnect).toBe(false);
  });

  it('backs off with jitter while tickets cannot be had, and starts over after a sync', async () => {
    const down = { ok: false, status: 0 } as const;
    const { provider, reconnect, timers, tick } = setup([down, down, down]);
    reconnect.start();
    await flush();
    expect(timers.map((t) => t.ms)).toEqual([250]);
    await tick();
    expect(timers.map((t) => t.ms)).toEqual([500]);
    await tick();
    expect(timers.map((t) => t.ms)).toEqual([1000]);
    await tick();
    expect(provider.sockets).toEqual(['t1']);
    provider.synced();
    provider.close({ code: 1006, reason: '' });
    expect(timers.map((t) => t.ms)).toEqual([250]);
  });

  it('gets another ticket after a 4401 (a spent or late ticket)', async () => {
    const { provider, reconnect, tick, events } = setup();
    reconnect.start();
    await flush();
    provider.close({ code: CloseCode.unauthenticated, reason: 'not signed in' });
    await tick();
    expect(provider.sockets).toEqual(['t1', 't2']);
    expect(events).toEqual([]);
  });

  it('stops for good on 4403 (blocked) and on a refused change', async () => {
    for (const code of [CloseCode.forbidden, CloseCode.invalidUpdate]) {
      const { provider, reconnect, timers, events } = setup();
      reconnect.start();
      await flush();
      provider.close({ code, reason: 'blocked by the site' });
      expect(events).toEqual([`stopped ${code}`]);
      expect(timers).toEqual([]);
      reconnect.now();
      await flush();
      expect(provider.sockets).toHaveLength(1);
    }
  });

  it('hands a refused token back to the session instead of retrying', async () => {
    const { provider, reconnect, timers, events } = setup([{ ok: false, status: 401 }]);
    reconnect.start();
    await flush();
    expect(events).toEqual(['token refused 401']);
    expect(provider.sockets).toEqual([]);
    expect(timers).toEqual([]);
    expect(reconnect.active).toBe(false);
  });

  it('waits offline without spending attempts, and reconnects at once when back', async () => {
    const online = { value: true };
    const { provider, reconnect, timers } = setup([], online);
    reconnect.start();
    await flush();
    online.value = false;
    reconnect.dropSocket();
    expect(provider.ws).toBeNull();
    timers.shift()?.run();
    await flush();
    expect(provider.sockets).toEqual(['t1']);
    online.value = true;
    reconnect.now();
    await flush();
    expect(provider.sockets).toEqual(['t1', 't2']);
  });
});

describe('backoffDelay', () => {
  it('grows to its bound and keeps a random part', () => {
    expect(backoffDelay(0, 0)).toBe(250);
    expect(backoffDelay(0, 1)).toBe(500);
    expect(backoffDelay(10, 0.5)).toBe(11_250);
    expect(backoffDelay(1000, 1)).toBe(15_000);
  });
});
