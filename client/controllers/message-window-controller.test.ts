/**
 * A revealed message stays in view against the list's own automatic
 * scrolls to the newest message, until the person scrolls themselves. The
 * list's geometry is played by a fake host (no layout in Node); the
 * controller's logic is the real one.
 */
import type { ReactiveElement } from 'lit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MessageWindowController } from './message-window-controller.js';

const ROW_PX = 100;
const VIEW_PX = 800;

/** A scrolling list of rows `ROW_PX` high: `scrollTop` is clamped as a browser does, rows are placed by their index. */
function list(ids: string[]) {
  const listeners = new Map<string, Array<() => void>>();
  const revealed: string[] = [];
  const host = {
    scrollTop: 0,
    clientHeight: VIEW_PX,
    get scrollHeight() {
      return ids.length * ROW_PX;
    },
    addController: () => undefined,
    requestUpdate: () => undefined,
    addEventListener: (type: string, listener: () => void) => listeners.set(type, [...(listeners.get(type) ?? []), listener]),
    removeEventListener: () => undefined,
    getBoundingClientRect: () => ({ top: 0, bottom: VIEW_PX }),
    renderRoot: {
      querySelectorAll: () => [],
      querySelector: (selector: string) => {
        const id = /data-message-id="(.*)"/.exec(selector)?.[1] ?? '';
        const top = ids.indexOf(id) * ROW_PX - host.scrollTop;
        return { scrollIntoView: () => void revealed.push(id), getBoundingClientRect: () => ({ top, bottom: top + ROW_PX }) };
      },
    },
  };
  let top = 0;
  Object.defineProperty(host, 'scrollTop', {
    get: () => top,
    set: (value: number) => void (top = Math.max(0, Math.min(value, host.scrollHeight - host.clientHeight))),
  });
  const fire = (type: string) => {
    for (const listener of listeners.get(type) ?? []) listener();
  };
  return { host, fire, revealed, bottom: () => host.scrollHeight - host.clientHeight };
}

let resized: () => void = () => undefined;

beforeEach(() => {
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(callback: () => void) {
        resized = callback;
      }
      observe() {}
      disconnect() {}
    },
  );
  vi.stubGlobal('window', { matchMedia: () => ({ matches: false }) });
  vi.stubGlobal('CSS', { escape: (text: string) => text });
});
afterEach(() => vi.unstubAllGlobals());

/** 52 messages opened at the newest, then the second one revealed (on an older page) and its smooth scroll begun. */
function openedThenRevealed() {
  const ids = Array.from({ length: 52 }, (_, i) => `m${i}`);
  const { host, fire, revealed, bottom } = list(ids);
  const paging = new MessageWindowController(host as unknown as ReactiveElement, {
    ids: () => ids,
    onPosition: () => undefined,
    onRevealed: () => undefined,
    hasOlderHistory: () => false,
    onOlderHistory: () => undefined,
  });
  const update = () => {
    paging.hostUpdate();
    paging.hostUpdated();
  };
  paging.hostConnected();
  paging.reset();
  update();
  expect(host.scrollTop).toBe(bottom());
  paging.reveal('m1');
  update();
  expect(revealed).toEqual(['m1']);
  // The smooth scroll's first step: still within the "reading the newest" distance of the bottom.
  host.scrollTop -= 30;
  fire('scroll');
  return { host, fire, bottom, update };
}

describe('MessageWindowController, a revealed message', () => {
  it('is not scrolled away by a resize or a render while its smooth scroll starts at the bottom', () => {
    const { host, bottom, update } = openedThenRevealed();
    resized();
    expect(host.scrollTop).toBe(bottom() - 30);
    update();
    expect(host.scrollTop).toBe(bottom() - 30);
  });

  it('lets the list follow the newest again once the person scrolls themselves', () => {
    const { host, fire, bottom } = openedThenRevealed();
    fire('wheel');
    fire('scroll');
    resized();
    expect(host.scrollTop).toBe(bottom());
  });
});
