/**
 * A long press on a touch screen: a finger held still for a moment runs
 * an action (show a message's actions, who reacted) instead of the tap. The
 * click the browser sends when the finger lifts then belongs to the press:
 * the host asks `endsLongPress()` first and ignores that click. Mouse and pen
 * presses are ordinary clicks.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const LONG_PRESS_MS = 450;

export class LongPressController implements ReactiveController {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pressed = false;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  /** For `pointerdown`: runs `action` if the finger stays down long enough. */
  start(event: PointerEvent, action: () => void): void {
    if (event.pointerType !== 'touch') return;
    this.cancel();
    // A long press that no click ended (a browser that sends none after a hold) must not eat this press's tap.
    this.pressed = false;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pressed = true;
      action();
    }, LONG_PRESS_MS);
  }

  /** For `pointerup`, `pointercancel` and `pointerleave`: the finger lifted or moved away before the time. */
  readonly cancel = (): void => {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  };

  /** Whether the click that came now ends a long press (and is no tap); answers true once per press. */
  endsLongPress(): boolean {
    if (!this.pressed) return false;
    this.pressed = false;
    return true;
  }
}
