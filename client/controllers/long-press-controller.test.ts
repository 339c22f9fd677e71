/** The long press the message list uses on touch screens: held long enough it acts, and the click after it is no tap. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LONG_PRESS_MS, LongPressController } from './long-press-controller.js';

/** Lit's side of a host: the controller registers itself; the test plays the lifecycle. */
function host(): ReactiveControllerHost & { controllers: ReactiveController[] } {
  const controllers: ReactiveController[] = [];
  return {
    controllers,
    addController: (controller) => void controllers.push(controller),
    removeController: () => undefined,
    requestUpdate: () => undefined,
    updateComplete: Promise.resolve(true),
  };
}

const touch = { pointerType: 'touch' } as PointerEvent;
const mouse = { pointerType: 'mouse' } as PointerEvent;

afterEach(() => {
  vi.useRealTimers();
});

describe('LongPressController', () => {
  it('acts after a finger is held, and takes the click that follows as part of the press', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const press = new LongPressController(host());
    const action = vi.fn();
    press.start(touch, action);
    vi.advanceTimersByTime(LONG_PRESS_MS - 1);
    expect(action).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(action).toHaveBeenCalledTimes(1);
    expect(press.endsLongPress()).toBe(true);
    // The next click is an ordinary tap again.
    expect(press.endsLongPress()).toBe(false);
  });

  it('does nothing when the finger lifts early, for a mouse, or after the host left the page', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const page = host();
    const press = new LongPressController(page);
    const action = vi.fn();
    press.start(touch, action);
    press.cancel();
    press.start(mouse, action);
    press.start(touch, action);
    for (const controller of page.controllers) controller.hostDisconnected?.();
    vi.runAllTimers();
    expect(action).not.toHaveBeenCalled();
    expect(press.endsLongPress()).toBe(false);
  });
});
