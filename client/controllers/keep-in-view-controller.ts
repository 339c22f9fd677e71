/**
 * Keeps a floating element (a message's actions, its reaction row, the
 * emoji picker under them) inside the visible part of the list that scrolls
 * it (issue 15): on a phone, the actions of a long message whose top is
 * scrolled away opened under the header, out of reach. After each render
 * and on each scroll, the host is moved by the least `translate` that puts
 * it inside the scroller's visible box; its top edge wins when it is taller.
 * Its parent's box is watched too: the list moves the actions from beside a
 * message to under it when chosen, with no new render of their own.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Room left between the element and the edge of the visible area, in px. */
const EDGE_GAP_PX = 4;

export class KeepInViewController implements ReactiveController {
  private scroller: Element | null = null;
  private readonly parentResized = new ResizeObserver(() => this.fit());

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    // The scroller is known once the host is in the tree; found at the first update.
    this.scroller = null;
    if (this.host.parentElement) this.parentResized.observe(this.host.parentElement);
  }

  hostDisconnected(): void {
    this.parentResized.disconnect();
    this.scroller?.removeEventListener('scroll', this.fit);
    this.scroller = null;
  }

  hostUpdated(): void {
    if (!this.scroller) {
      this.scroller = scrollParentOf(this.host);
      this.scroller?.addEventListener('scroll', this.fit, { passive: true });
    }
    this.fit();
  }

  /** Moves the host into the visible area (or back to its own place when it fits there). */
  readonly fit = (): void => {
    const scroller = this.scroller;
    const style = this.host.style;
    style.translate = '';
    if (!scroller) return;
    const area = scroller.getBoundingClientRect();
    const box = this.host.getBoundingClientRect();
    let shift = 0;
    if (box.bottom > area.bottom - EDGE_GAP_PX) shift = area.bottom - EDGE_GAP_PX - box.bottom;
    if (box.top + shift < area.top + EDGE_GAP_PX) shift = area.top + EDGE_GAP_PX - box.top;
    if (shift !== 0) style.translate = `0 ${Math.round(shift)}px`;
  };
}

/** The nearest ancestor (across shadow roots) that scrolls vertically, or null. */
export function scrollParentOf(element: Element): Element | null {
  let current: Element | null = parentAcrossShadow(element);
  while (current) {
    const overflow = getComputedStyle(current).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return current;
    current = parentAcrossShadow(current);
  }
  return null;
}

function parentAcrossShadow(element: Element): Element | null {
  if (element.parentElement) return element.parentElement;
  const root = element.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}
