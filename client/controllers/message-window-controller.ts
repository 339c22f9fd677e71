/**
 * Which messages a scrolling list renders, and where it is scrolled: the
 * newest page first, an older page each time the person nears the top (kept
 * in place, no jump), the newest message kept in view while they read at the
 * bottom, and a message brought into view on request. The host is the
 * scrolling element itself.
 *
 * The rendered window has two ends: reading far back (older segments,
 * docs/SEGMENTS.md), at most `MAX_SHOWN` messages stay rendered, so the
 * newest pages leave the DOM as older ones join above, and come back a page
 * at a time as the person scrolls down (or all at once with jump to
 * latest). Every row costs style, layout and paint on each change of the
 * list: thousands of them made each older segment slower than the last
 * (docs/PERFORMANCE.md, "Issue 13"). While the newest message is not
 * rendered, the list is not "at the bottom": nothing counts as read by
 * being seen, and new messages do not pull the view down.
 */
import type { ReactiveController, ReactiveElement } from 'lit';

/** How close to the bottom (px) counts as "reading the newest": new messages then scroll into view. */
const STICK_TO_BOTTOM_PX = 80;
/** Messages rendered at first, and added each time the person scrolls up to the oldest one shown. */
export const PAGE_SIZE = 50;
/** Older messages load when the top is this close (px). */
const LOAD_OLDER_PX = 200;
/** Room left above the message a conversation opens at, so the "New messages" divider over it shows. */
const OPEN_AT_ROOM_PX = 48;
/** Messages rendered at most: six pages (a few screens of scrolling either way before a page is swapped). */
export const MAX_SHOWN = 6 * PAGE_SIZE;
/** Input by which the person scrolls the list themselves (a scrollbar drag starts with a pointerdown): a revealed message is no longer held in view. */
const PERSON_SCROLLS = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;

/**
 * What stays in place while the window changes: a row in view and its
 * distance from the list's top, or (no row rendered) the distance from the
 * bottom.
 */
type ScrollAnchor = { id: string; top: number } | { fromBottom: number };

interface Options {
  /** Ids of all messages, in display order. */
  ids(): readonly string[];
  /** The newest message is in view, or no longer. */
  onPosition(atBottom: boolean): void;
  /**
   * Any part of the newest message's row is in view, or none: the jump-to-latest button shows only while none
   * is (over the list's bottom right, it hid the time and tick of the newest own bubbles while they were in view).
   */
  onNewestSeen?(seen: boolean): void;
  /** A message was scrolled to (e.g. to highlight it). */
  onRevealed(id: string): void;
  /** Messages older than all of `ids` exist, not loaded yet (an older history segment). */
  hasOlderHistory(): boolean;
  /** The person reached the oldest message and older history exists: load it (the list then pages on, in place). */
  onOlderHistory(): void;
}

export class MessageWindowController implements ReactiveController {
  /** The oldest message rendered; older ones come as the person scrolls up. */
  private shownFrom: string | undefined;
  /** The newest message rendered when newer pages were dropped (reading far back); undefined: the newest, and new ones as they come. */
  private shownTo: string | undefined;
  private stickToBottom = true;
  /**
   * A message was revealed (a search result, a quote): no automatic scroll
   * takes the list back to the newest message until the person scrolls
   * themselves (wheel, touch, keys, a press on the list), goes to the latest
   * or sends a message. The reveal's smooth scroll starts at the bottom: its
   * first scroll events read "at the bottom" and re-armed following, so a
   * resize or re-render in that moment (a loaded machine: the list's first
   * layout coming late) scrolled to the newest message instead (the
   * search.spec.ts flake, "viewport ratio 0").
   */
  private held = false;
  /** Follow the newest message whatever the position (another conversation, my own new message). */
  private forceBottom = false;
  /**
   * `scrollTop` when `stickToBottom` was last decided. Another value at the
   * next update means a scroll whose event has not arrived yet (focus,
   * `scrollIntoView`, a test's click): the flag is stale.
   */
  private decidedAt = 0;
  private atBottom: boolean | undefined;
  private newestSeen: boolean | undefined;
  /** What to keep in place after pages were added or dropped at either end. */
  private keepAnchor: ScrollAnchor | undefined;
  private revealAfterUpdate: string | undefined;
  /** Older history was asked for at the top (the oldest id then): when it arrives above it, it is shown as the next page. */
  private awaitingHistory: { firstId: string | undefined } | undefined;
  /** A message to put at the top of the view after the next render (the first unread one, on opening). */
  private openAtAfterUpdate: string | undefined;
  // When the composer grows or the keyboard opens, the newest message must stay in view.
  private readonly resizeObserver = new ResizeObserver(() => {
    if (this.stickToBottom) this.scrollToBottom();
    this.reportPosition();
  });

  constructor(
    private readonly host: ReactiveElement,
    private readonly options: Options,
  ) {
    host.addController(this);
  }

  /** Index of the oldest message to render. */
  start(): number {
    const ids = this.options.ids();
    const fallback = Math.max(0, ids.length - PAGE_SIZE);
    if (this.shownFrom === undefined) return fallback;
    const index = ids.indexOf(this.shownFrom);
    return index < 0 ? fallback : index;
  }

  /** Index after the newest message to render (all of `ids` unless newer pages were dropped). */
  end(): number {
    const ids = this.options.ids();
    if (this.shownTo === undefined) return ids.length;
    const index = ids.indexOf(this.shownTo);
    return index < 0 ? ids.length : index + 1;
  }

  /** The newest message is rendered (no newer page was dropped). */
  showsNewest(): boolean {
    return this.end() >= this.options.ids().length;
  }

  /** Another conversation: start again at its newest message. */
  reset(): void {
    this.awaitingHistory = undefined;
    this.held = false;
    this.stickToBottom = this.forceBottom = true;
    this.shownFrom = this.shownTo = undefined;
    // Reported afresh: the read marker starts each conversation as "at the bottom", and one opened
    // at its first unread message after a scrolled-up one would otherwise never hear that it is not.
    this.atBottom = undefined;
    this.newestSeen = undefined;
  }

  /**
   * Opens at a message instead of the newest (the first unread one): it is
   * rendered with a page of context above and scrolled to the top of the
   * view, and the list no longer follows the newest message.
   */
  openAt(id: string): void {
    const ids = this.options.ids();
    const index = ids.indexOf(id);
    if (index < 0) return;
    this.stickToBottom = this.forceBottom = false;
    if (index < this.start()) {
      const from = Math.max(0, index - PAGE_SIZE / 2);
      this.setWindow(from, Math.min(this.end(), from + MAX_SHOWN));
    }
    this.openAtAfterUpdate = id;
  }

  /** Back to the newest message (the jump-to-latest button), which then stays in view. */
  readonly toLatest = (): void => {
    this.held = false;
    this.stickToBottom = this.forceBottom = true;
    this.shownFrom = this.shownTo = undefined;
    this.host.requestUpdate();
  };

  /** Before rendering new messages: pin the window's top, follow my own new message. */
  messagesChanged(newestIsMineAndNew: boolean): void {
    const ids = this.options.ids();
    if (newestIsMineAndNew) {
      this.held = false;
      this.stickToBottom = this.forceBottom = true;
      this.shownTo = undefined;
    }
    // Reading at the bottom for long: drop old pages again so the list stays light.
    if (this.shownFrom === undefined || (this.stickToBottom && ids.length - this.start() > 2 * PAGE_SIZE)) {
      this.shownFrom = ids[Math.max(0, ids.length - PAGE_SIZE)];
    }
    // Messages above the oldest one when older history was asked for: the older segment is here. Its newest
    // page joins above, the view stays where it was. (Asked with an empty list: the first messages are no page.)
    const awaited = this.awaitingHistory;
    if (awaited && ids[0] !== awaited.firstId) {
      this.awaitingHistory = undefined;
      if (awaited.firstId !== undefined && this.start() > 0) this.loadOlder();
    }
  }

  /** Older history was asked for and has not arrived yet (the list says it is loading). */
  loadingOlder(): boolean {
    return this.awaitingHistory !== undefined;
  }

  readonly loadOlder = (): void => {
    const start = this.start();
    if (start === 0 && this.options.hasOlderHistory()) {
      const asked = this.awaitingHistory === undefined;
      this.awaitingHistory = { firstId: this.options.ids()[0] };
      this.options.onOlderHistory();
      // Drawn at once: the segment takes a round trip or more (0.2-0.9 s in the bench), the button says so meanwhile.
      if (asked) this.host.requestUpdate();
      return;
    }
    if (start === 0 || this.keepAnchor !== undefined) return;
    this.keepAnchor = this.anchorNow();
    const from = Math.max(0, start - PAGE_SIZE);
    // Past `MAX_SHOWN`, the newest pages leave the DOM (they come back on scrolling down).
    this.setWindow(from, Math.min(this.end(), from + MAX_SHOWN));
    this.host.requestUpdate();
  };

  /** Near the bottom of a window whose newer pages were dropped: the next newer page joins below, the oldest leave past `MAX_SHOWN`. */
  readonly loadNewer = (): void => {
    const end = this.end();
    const count = this.options.ids().length;
    if (end >= count || this.keepAnchor !== undefined) return;
    this.keepAnchor = this.anchorNow();
    const to = Math.min(count, end + PAGE_SIZE);
    this.setWindow(Math.max(this.start(), to - MAX_SHOWN), to);
    this.host.requestUpdate();
  };

  /** Scrolls a message into view, rendering older pages first if needed. */
  reveal(id: string): void {
    const ids = this.options.ids();
    const index = ids.indexOf(id);
    if (index < 0) return;
    this.stickToBottom = this.forceBottom = false;
    this.held = true;
    const start = this.start();
    if (index < start || index >= this.end()) {
      // Above the window: from just over it, down to as much of the window as fits. Below (newer pages dropped): a window around it.
      const from = index < start ? Math.max(0, index - 5) : Math.max(0, index - PAGE_SIZE);
      this.setWindow(from, index < start ? Math.min(this.end(), from + MAX_SHOWN) : Math.min(ids.length, from + MAX_SHOWN));
      this.revealAfterUpdate = id;
      this.host.requestUpdate();
      return;
    }
    const element = this.host.renderRoot.querySelector(`[data-message-id="${CSS.escape(id)}"]`);
    if (!element) return;
    // A person who asked for less motion gets the jump without the glide.
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    element.scrollIntoView({ block: 'center', behavior: reduceMotion ? 'auto' : 'smooth' });
    this.options.onRevealed(id);
  }

  hostConnected(): void {
    this.host.addEventListener('scroll', this.onScroll, { passive: true });
    for (const type of PERSON_SCROLLS) this.host.addEventListener(type, this.release, { passive: true });
    this.resizeObserver.observe(this.host);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('scroll', this.onScroll);
    for (const type of PERSON_SCROLLS) this.host.removeEventListener(type, this.release);
    this.resizeObserver.disconnect();
  }

  /**
   * Before rendering: if the list was scrolled since the flag was decided and
   * its scroll event has not come yet, decide from where it is now. Trusting
   * the old flag jumped a person who had just tabbed to a button far up back
   * to the newest message whenever anything re-rendered in between (the
   * refused-update e2e flake: a huge message then lay under Retry).
   */
  hostUpdate(): void {
    if (this.forceBottom) this.stickToBottom = true;
    else if (this.keepAnchor === undefined && this.host.scrollTop !== this.decidedAt) this.decideFromPosition();
    this.forceBottom = false;
  }

  hostUpdated(): void {
    const host = this.host;
    if (this.openAtAfterUpdate !== undefined) {
      this.scrollToTopOfView(this.openAtAfterUpdate);
      this.openAtAfterUpdate = undefined;
    } else if (this.keepAnchor !== undefined) {
      this.restore(this.keepAnchor);
      this.keepAnchor = undefined;
      this.decidedAt = host.scrollTop;
    } else if (this.stickToBottom) {
      this.scrollToBottom();
    }
    if (this.revealAfterUpdate) {
      const id = this.revealAfterUpdate;
      this.revealAfterUpdate = undefined;
      this.reveal(id);
    }
    // Too few messages to scroll, yet older ones exist: show them, or the person could never reach them.
    // Asked again while older history is awaited: the newest segment may not have been loaded when it was asked first.
    if (host.scrollHeight <= host.clientHeight && host.clientHeight > 0) {
      if (this.hasOlder()) this.loadOlder();
      else this.loadNewer();
    }
    this.reportPosition();
  }

  /** The person scrolls (or may) themselves: following the newest message is decided from where they go again. */
  private readonly release = () => {
    this.held = false;
  };

  private readonly onScroll = () => {
    this.decideFromPosition();
    const host = this.host;
    if (host.scrollTop < LOAD_OLDER_PX && this.hasOlder()) this.loadOlder();
    else if (host.scrollHeight - host.scrollTop - host.clientHeight < LOAD_OLDER_PX) this.loadNewer();
    this.reportPosition();
  };

  /** Renders `ids[from]` to `ids[to - 1]`; a window reaching the newest follows new messages. */
  private setWindow(from: number, to: number): void {
    const ids = this.options.ids();
    this.shownFrom = ids[from];
    this.shownTo = to >= ids.length ? undefined : ids[to - 1];
  }

  /** The first row in view and where it is, before the window changes (read from the rows rendered now). */
  private anchorNow(): ScrollAnchor {
    const host = this.host;
    const top = host.getBoundingClientRect().top;
    for (const row of host.renderRoot.querySelectorAll<HTMLElement>('[data-message-id]')) {
      const box = row.getBoundingClientRect();
      if (box.bottom > top) return { id: row.dataset.messageId ?? '', top: box.top - top };
    }
    return { fromBottom: host.scrollHeight - host.scrollTop };
  }

  /** After the window changed: the anchor row back where it was (the rows above or below it changed, not it). */
  private restore(anchor: ScrollAnchor): void {
    const host = this.host;
    if ('fromBottom' in anchor) {
      host.scrollTop = host.scrollHeight - anchor.fromBottom;
      return;
    }
    const row = host.renderRoot.querySelector(`[data-message-id="${CSS.escape(anchor.id)}"]`);
    if (row) host.scrollTop += row.getBoundingClientRect().top - host.getBoundingClientRect().top - anchor.top;
  }

  /** Older messages exist: rendered ones above the window, or history not loaded yet. */
  private hasOlder(): boolean {
    return this.start() > 0 || this.options.hasOlderHistory();
  }

  private decideFromPosition(): void {
    const host = this.host;
    // At the bottom of a window without its newest pages is not at the newest message.
    this.stickToBottom = !this.held && host.scrollHeight - host.scrollTop - host.clientHeight < STICK_TO_BOTTOM_PX && this.showsNewest();
    this.decidedAt = host.scrollTop;
  }

  /** Scrolls so that a message starts near the top of the view, with room above it for what marks it (the divider). */
  private scrollToTopOfView(id: string): void {
    const element = this.host.renderRoot.querySelector(`[data-message-id="${CSS.escape(id)}"]`);
    if (!element) return;
    this.host.scrollTop += element.getBoundingClientRect().top - this.host.getBoundingClientRect().top - OPEN_AT_ROOM_PX;
    this.decideFromPosition();
  }

  private scrollToBottom(): void {
    this.host.scrollTop = this.host.scrollHeight;
    this.decidedAt = this.host.scrollTop;
  }

  private reportPosition(): void {
    const host = this.host;
    // Not while the newest messages are out of the DOM: they are not seen (the read marker follows this).
    const atBottom = host.scrollHeight - host.scrollTop - host.clientHeight < STICK_TO_BOTTOM_PX && this.showsNewest();
    if (atBottom !== this.atBottom) {
      this.atBottom = atBottom;
      this.options.onPosition(atBottom);
    }
    const newestSeen = atBottom || this.newestRowInView();
    if (newestSeen !== this.newestSeen) {
      this.newestSeen = newestSeen;
      this.options.onNewestSeen?.(newestSeen);
    }
  }

  /** Whether the newest message's row is rendered and any part of it lies within the list's view. */
  private newestRowInView(): boolean {
    const ids = this.options.ids();
    const newest = ids[ids.length - 1];
    if (newest === undefined || !this.showsNewest()) return false;
    const row = this.host.renderRoot.querySelector(`[data-message-id="${CSS.escape(newest)}"]`);
    return row !== null && row.getBoundingClientRect().top < this.host.getBoundingClientRect().bottom;
  }
}
