import { describe, expect, it } from 'vitest';
import { CloseCode, describeCloseCode } from '../../../shared/protocol.js';
import {
  initialConnectionState,
  isWaitCode,
  nextConnectionState,
  retryDelayAfterWait,
  WAIT_MAX_DELAY_MS,
  WAIT_MIN_DELAY_MS,
  isRefused,
  MESSAGE_TOO_BIG,
  shouldReconnectAfter,
  summarizeSync,
  type ConnectionEvent,
  type ConnectionState,
} from './connection-state.js';

function run(...events: ConnectionEvent[]): ConnectionState {
  return events.reduce(nextConnectionState, initialConnectionState);
}

const online = run({ type: 'local-loaded' }, { type: 'connecting' }, { type: 'connected' }, { type: 'synced' });

describe('shouldReconnectAfter', () => {
  it('stops on unauthenticated and forbidden only', () => {
    expect(shouldReconnectAfter({ code: CloseCode.unauthenticated })).toBe(false);
    expect(shouldReconnectAfter({ code: CloseCode.forbidden })).toBe(false);
  });

  it('keeps reconnecting after rate limiting, restarts and network loss', () => {
    for (const code of [CloseCode.rateLimited, CloseCode.goingAway, CloseCode.tryAgainLater, 1006, 1000]) {
      expect(shouldReconnectAfter({ code })).toBe(true);
      expect(shouldReconnectAfter({ code }, true)).toBe(true);
    }
  });

  it('stops after a refused update (or a frame too big) only where we write: sending again would be refused again', () => {
    for (const code of [CloseCode.invalidUpdate, MESSAGE_TOO_BIG]) {
      expect(shouldReconnectAfter({ code }, true)).toBe(false);
      expect(shouldReconnectAfter({ code }, false)).toBe(true);
    }
  });
});

describe('nextConnectionState', () => {
  it('is synced only after the server answered on an open socket', () => {
    expect(run({ type: 'connecting' }, { type: 'synced' }).synced).toBe(false);
    expect(online).toMatchObject({ phase: 'connected', synced: true, failedAttempts: 0, localLoaded: true });
  });

  it('counts failed attempts and resets them on a sync', () => {
    const failing = run({ type: 'connecting' }, { type: 'closed', code: 1006 }, { type: 'connecting' }, { type: 'closed', code: 1006 });
    expect(failing).toMatchObject({ phase: 'disconnected', failedAttempts: 2 });
    const recovered = [{ type: 'connecting' }, { type: 'connected' }, { type: 'synced' }] as ConnectionEvent[];
    expect(recovered.reduce(nextConnectionState, failing).failedAttempts).toBe(0);
  });

  it('stops on 4401 and stays stopped until resumed', () => {
    const stopped = nextConnectionState(online, { type: 'closed', code: CloseCode.unauthenticated });
    expect(stopped).toMatchObject({ phase: 'stopped', stopCode: 4401 });
    expect(nextConnectionState(stopped, { type: 'connecting' })).toBe(stopped);
    expect(nextConnectionState(stopped, { type: 'closed', code: 1006 })).toBe(stopped);
    expect(nextConnectionState(stopped, { type: 'resumed' })).toMatchObject({ phase: 'connecting', stopCode: null, failedAttempts: 0 });
  });

  it('does not stop on 4429 (rate limited)', () => {
    expect(nextConnectionState(online, { type: 'closed', code: CloseCode.rateLimited })).toMatchObject({ phase: 'disconnected' });
  });

  it('keeps the refusal and its reason when the connection says the close is final', () => {
    const refused = nextConnectionState(online, { type: 'closed', code: CloseCode.invalidUpdate, reason: 'refused: author', final: true });
    expect(refused).toMatchObject({ phase: 'stopped', stopCode: 4400, stopReason: 'refused: author' });
    expect(isRefused(refused)).toBe(true);
    expect(nextConnectionState(online, { type: 'closed', code: CloseCode.invalidUpdate, final: false }).phase).toBe('disconnected');
  });

  it('can be held without a close from the relay, and a held connection keeps its first reason', () => {
    const held = nextConnectionState(online, { type: 'held', code: CloseCode.unauthenticated, reason: 'session ended' });
    expect(held).toMatchObject({ phase: 'stopped', stopCode: 4401, synced: false });
    const refused = nextConnectionState(online, { type: 'closed', code: CloseCode.invalidUpdate, final: true });
    expect(nextConnectionState(refused, { type: 'held', code: CloseCode.unauthenticated })).toBe(refused);
  });

  // Issue 20: the relay stored nothing and asks the device to wait (quota, full disk); nothing was refused for good.
  it('keeps waiting, not stopped or refused, after 4413 and 4507, with the code until the next sync', () => {
    for (const code of [CloseCode.quotaExceeded, CloseCode.storageUnavailable]) {
      expect(isWaitCode(code)).toBe(true);
      const waiting = nextConnectionState(online, { type: 'closed', code, reason: 'over quota', final: false });
      expect(waiting).toMatchObject({ phase: 'disconnected', waitCode: code });
      expect(isRefused(waiting)).toBe(false);
      expect(nextConnectionState(nextConnectionState(waiting, { type: 'connecting' }), { type: 'connected' }).waitCode).toBe(code);
      const reconnected: ConnectionEvent[] = [{ type: 'connecting' }, { type: 'connected' }, { type: 'synced' }];
      expect(reconnected.reduce(nextConnectionState, waiting).waitCode).toBeNull();
    }
    expect(isWaitCode(CloseCode.invalidUpdate)).toBe(false);
  });

  it('treats a close we made ourselves as transient', () => {
    expect(nextConnectionState(online, { type: 'closed', code: null })).toMatchObject({ phase: 'disconnected' });
  });
});

describe('retryDelayAfterWait', () => {
  it('doubles from WAIT_MIN_DELAY_MS up to WAIT_MAX_DELAY_MS, spread by up to a quarter so devices do not retry together', () => {
    expect(retryDelayAfterWait(0, () => 0)).toBe(WAIT_MIN_DELAY_MS);
    expect(retryDelayAfterWait(1, () => 0)).toBe(2 * WAIT_MIN_DELAY_MS);
    expect(retryDelayAfterWait(2, () => 0.999)).toBeLessThanOrEqual(4 * WAIT_MIN_DELAY_MS * 1.25);
    expect(retryDelayAfterWait(50, () => 0)).toBe(WAIT_MAX_DELAY_MS);
    expect(retryDelayAfterWait(50, () => 0.999)).toBeLessThanOrEqual(WAIT_MAX_DELAY_MS * 1.25);
    // Far slower than the stock provider's ~100 ms after a connection that opened and closed.
    expect(WAIT_MIN_DELAY_MS).toBeGreaterThanOrEqual(1000);
  });
});

describe('summarizeSync', () => {
  const connecting = run({ type: 'connecting' });
  const unreachable = run(
    { type: 'connecting' },
    { type: 'closed', code: 1006 },
    { type: 'connecting' },
    { type: 'closed', code: 1006 },
    { type: 'connecting' },
    { type: 'closed', code: 1006 },
  );
  const forbidden = nextConnectionState(online, { type: 'closed', code: CloseCode.forbidden });
  const signedOut = nextConnectionState(online, { type: 'closed', code: CloseCode.unauthenticated });

  it('is online when every connection is synced', () => {
    expect(summarizeSync([online, online], { browserOnline: true, pending: 0 })).toEqual({
      status: 'online',
      pending: 0,
      failed: 0,
      label: 'Online',
    });
  });

  it('is connecting while any connection is on its way', () => {
    expect(summarizeSync([online, connecting], { browserOnline: true, pending: 0 }).status).toBe('connecting');
  });

  it('is offline when the browser says so, or after repeated failures', () => {
    expect(summarizeSync([online], { browserOnline: false, pending: 0 }).status).toBe('offline');
    expect(summarizeSync([online, unreachable], { browserOnline: true, pending: 0 }).status).toBe('offline');
  });

  it('ignores a conversation we may not open', () => {
    expect(summarizeSync([online, forbidden], { browserOnline: true, pending: 0 }).status).toBe('online');
  });

  it('reports an ended session above everything else', () => {
    expect(summarizeSync([signedOut, online], { browserOnline: false, pending: 0 }).status).toBe('session-ended');
  });

  it("says why it waits after 4413 or 4507 (describeCloseCode's text), with the messages still pending", () => {
    for (const code of [CloseCode.quotaExceeded, CloseCode.storageUnavailable]) {
      const waiting = nextConnectionState(online, { type: 'closed', code, final: false });
      expect(summarizeSync([online, waiting], { browserOnline: true, pending: 2 })).toEqual({
        status: 'waiting',
        pending: 2,
        failed: 0,
        label: 'Waiting · 2 pending',
        notice: describeCloseCode(code),
      });
    }
  });

  it('adds the pending count to the label', () => {
    expect(summarizeSync([unreachable], { browserOnline: true, pending: 2 })).toEqual({
      status: 'offline',
      pending: 2,
      failed: 0,
      label: 'Offline · 2 pending',
    });
  });

  it('adds the messages that were not sent, and a refused conversation does not make the app look offline', () => {
    const refused = nextConnectionState(online, { type: 'closed', code: CloseCode.invalidUpdate, final: true });
    expect(summarizeSync([online, refused], { browserOnline: true, pending: 1, failed: 2 })).toMatchObject({
      status: 'online',
      label: 'Online · 1 pending · 2 not sent',
    });
  });
});
