/**
 * Between the host page and the visitor: host messages become visitor calls
 * (hello, set-user, reset) and visibility; the visitor's news goes back to
 * the host (`ready`, `unread`, `message`, `close`), to its origin only.
 */
import type { HostToFrame } from '../../shared/widget-protocol.js';
import { HostChannel, type FrameWindow } from './host-channel.js';
import type { VisitorConversation } from './visitor-conversation.js';
import type { WidgetVisitor } from './widget-visitor.js';

type Hello = Extract<HostToFrame, { type: 'hello' }>;

/** Characters of a new message the host's `message` event sees. */
const PREVIEW_LENGTH = 140;

export class EmbedBridge extends EventTarget {
  private readonly channel: HostChannel;
  private shown = false;
  private greeting: Hello | null = null;
  private watched: VisitorConversation | null = null;
  private readyPosted = false;
  private lastUnread = -1;
  /** My read marker as the chat last opened, when something was unread then: the "New messages" divider goes after it. */
  private unreadAfter: number | undefined;
  /** The list shows its newest message (the visitor has not scrolled up to read): what arrives is read at once. */
  private listAtBottom = true;

  constructor(
    win: FrameWindow,
    site: string,
    readonly visitor: WidgetVisitor,
  ) {
    super();
    this.channel = new HostChannel(win, site, (message) => this.receive(message));
    visitor.addEventListener('change', this.onVisitorChange);
  }

  /** Whether the host shows the chat now. */
  get visible(): boolean {
    return this.shown;
  }

  /**
   * My read marker as the chat opened, when the host's badge counted unread
   * messages then (else undefined): reading moves the live marker at once, the
   * divider stays where the unread part began until the chat opens again.
   */
  get unreadAfterOpen(): number | undefined {
    return this.unreadAfter;
  }

  /** The host's hello: its locale and its overrides of the title and greeting. */
  get hello(): Hello | null {
    return this.greeting;
  }

  /**
   * The list's newest message came into view or went out of it (issue 15): as
   * in the app, what arrives while the visitor reads further up stays unread,
   * counted on the jump-to-latest button, until they are back at the bottom.
   */
  setListAtBottom(atBottom: boolean): void {
    if (atBottom === this.listAtBottom) return;
    this.listAtBottom = atBottom;
    if (atBottom) this.markRead();
  }

  /** The visitor asked to close (close button, Escape): the launcher hides the frame. */
  close(): void {
    this.channel.post({ v: 1, type: 'close' });
  }

  private receive(message: HostToFrame): void {
    switch (message.type) {
      case 'hello':
        this.greeting = message;
        if (this.channel.hostOrigin) this.visitor.hello(this.channel.hostOrigin);
        break;
      case 'set-user':
        this.visitor.setUser(message.user);
        break;
      case 'reset':
        this.readyPosted = false;
        this.visitor.reset();
        break;
      case 'visibility':
        if (message.open && !this.shown) this.noteOpening();
        this.shown = message.open;
        this.markRead();
        break;
    }
    this.dispatchEvent(new Event('change'));
  }

  private readonly onVisitorChange = (): void => {
    if (this.visitor.phase === 'ready' && !this.readyPosted) {
      this.readyPosted = true;
      this.channel.post({ v: 1, type: 'ready' });
    }
    const conversation = this.visitor.conversation;
    if (conversation !== this.watched) {
      this.watched?.removeEventListener('change', this.onConversationChange);
      this.watched?.removeEventListener('incoming', this.onIncoming);
      this.watched = conversation;
      if (this.shown) this.noteOpening();
      conversation?.addEventListener('change', this.onConversationChange);
      conversation?.addEventListener('incoming', this.onIncoming);
      this.onConversationChange();
    }
    this.dispatchEvent(new Event('change'));
  };

  private readonly onConversationChange = (): void => {
    // Opening marks everything read (the visibility message); afterwards, only what arrives while the newest is in view.
    if (this.listAtBottom) this.markRead();
    const unread = this.watched?.unreadCount() ?? 0;
    if (unread !== this.lastUnread) {
      this.lastUnread = unread;
      this.channel.post({ v: 1, type: 'unread', count: unread });
    }
  };

  private readonly onIncoming = (event: Event): void => {
    const text = (event as CustomEvent<{ text: string }>).detail.text;
    this.channel.post({ v: 1, type: 'message', preview: text.slice(0, PREVIEW_LENGTH) });
  };

  /** Before the opening marks everything read: where the unread part begins, if any. */
  private noteOpening(): void {
    const watched = this.watched;
    this.unreadAfter = watched && watched.unreadCount() > 0 ? watched.readMarker() : undefined;
  }

  private markRead(): void {
    if (this.shown && this.watched && document.visibilityState !== 'hidden') this.watched.markRead();
  }
}
