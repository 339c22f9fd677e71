import { describe, expect, it } from 'vitest';
import type { HostToFrame } from '../../shared/widget-protocol.js';
import { HostChannel, isPlausibleHostOrigin, parseHostMessage, type FrameWindow } from './host-channel.js';

const HOST = 'https://shop.example';
const SITE = 'sabcdefghijklmnopqrstu';

function fakeFrame() {
  const posted: Array<{ message: unknown; targetOrigin: string }> = [];
  let listener: ((event: MessageEvent) => void) | undefined;
  const parent = { postMessage: (message: unknown, targetOrigin: string) => posted.push({ message, targetOrigin }) };
  const win: FrameWindow = {
    parent,
    addEventListener: (_type, fn) => (listener = fn),
    removeEventListener: () => (listener = undefined),
  };
  const receive = (data: unknown, origin = HOST, source: unknown = parent) => listener?.({ data, origin, source } as MessageEvent);
  return { win, parent, posted, receive };
}

function channel() {
  const frame = fakeFrame();
  const delivered: HostToFrame[] = [];
  const host = new HostChannel(frame.win, SITE, (message) => delivered.push(message));
  return { ...frame, host, delivered };
}

describe('HostChannel', () => {
  it('learns the host origin from hello and posts only there', () => {
    const { host, receive, posted, delivered } = channel();
    host.post({ v: 1, type: 'ready' });
    expect(posted).toEqual([]);
    receive({ v: 1, type: 'hello', site: SITE });
    expect(host.hostOrigin).toBe(HOST);
    host.post({ v: 1, type: 'unread', count: 2 });
    expect(posted).toEqual([{ message: { v: 1, type: 'unread', count: 2 }, targetOrigin: HOST }]);
    expect(delivered).toEqual([{ v: 1, type: 'hello', site: SITE }]);
  });

  it('ignores other windows, other origins after hello, a second hello and other sites', () => {
    const { host, receive, delivered } = channel();
    receive({ v: 1, type: 'hello', site: SITE }, HOST, { someOtherWindow: true });
    receive({ v: 1, type: 'hello', site: 'sanothersiteentirelyxx' });
    expect(host.hostOrigin).toBeNull();
    receive({ v: 1, type: 'hello', site: SITE });
    receive({ v: 1, type: 'reset' }, 'https://evil.example');
    receive({ v: 1, type: 'hello', site: SITE, greeting: 'again' });
    receive({ v: 1, type: 'visibility', open: true });
    expect(delivered.map((m) => m.type)).toEqual(['hello', 'visibility']);
  });

  it('refuses an opaque or odd origin', () => {
    const { host, receive } = channel();
    receive({ v: 1, type: 'hello', site: SITE }, 'null');
    receive({ v: 1, type: 'hello', site: SITE }, 'file://');
    expect(host.hostOrigin).toBeNull();
  });

  it('delivers what came just before hello first, from the same origin only', () => {
    const { receive, delivered } = channel();
    receive({ v: 1, type: 'reset' });
    receive({ v: 1, type: 'set-user', user: { id: 'evil' } }, 'https://evil.example');
    receive({ v: 1, type: 'set-user', user: { id: 'u1', hash: 'ab' } });
    receive({ v: 1, type: 'hello', site: SITE });
    expect(delivered).toEqual([
      { v: 1, type: 'reset' },
      { v: 1, type: 'set-user', user: { id: 'u1', hash: 'ab' } },
      { v: 1, type: 'hello', site: SITE },
    ]);
  });
});

describe('parseHostMessage', () => {
  it('keeps known fields and refuses malformed ones', () => {
    expect(parseHostMessage({ v: 1, type: 'set-user', user: { id: 'u', name: 'N', role: 'admin' } })).toEqual({
      v: 1,
      type: 'set-user',
      user: { id: 'u', name: 'N' },
    });
    expect(parseHostMessage({ v: 1, type: 'set-user', user: { name: 'no id' } })).toBeNull();
    expect(parseHostMessage({ v: 1, type: 'visibility', open: 'yes' })).toBeNull();
    expect(parseHostMessage({ v: 2, type: 'reset' })).toBeNull();
  });

  it('knows a plausible origin', () => {
    expect(isPlausibleHostOrigin('http://127.0.0.1:8000')).toBe(true);
    expect(isPlausibleHostOrigin('https://shop.example/path')).toBe(false);
    expect(isPlausibleHostOrigin('javascript:alert(1)')).toBe(false);
  });
});
