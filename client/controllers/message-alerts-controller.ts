/**
 * Tells the person about new messages while they look elsewhere: the unread
 * total in the page title ("(3) Happy Chat"; muted conversations left out,
 * as issue 15 asks), and a desktop notification
 * for a message arriving while the tab is hidden, if they allowed it (asked
 * from a button, never on load). Clicking a notification opens its
 * conversation (the host fires `open-conversation`). A device with push
 * notifications gets them from the service worker instead (docs/PUSH.md),
 * so it shows none here: one alert per message, not two.
 */
import { shownPreview } from '../data/messages/head-preview.js';
import { msg, str } from '@lit/localize';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { robotName } from '../data/people/robot-name.js';
import type { Head } from '../../shared/heads.js';
import { friendsOf, membersOf } from '../../shared/schema.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { notificationPermission, push, requestNotificationPermission } from '../data/api/push-client.js';
import { titleWithUnread } from '../data/messages/unread.js';
import { unreadOf, type UnreadTracker } from '../data/messages/unread-tracker.js';
import { mutedOf, type MutedConversations } from '../data/messages/muted-conversations.js';

const NOTIFICATION_TEXT_MAX = 120;

/** Whether this browser can show notifications and the person has not decided yet. */
export function canAskForNotifications(): boolean {
  return notificationPermission() === 'default';
}

export async function askForNotifications(): Promise<NotificationPermission> {
  return typeof Notification === 'undefined' ? 'denied' : requestNotificationPermission();
}

export class MessageAlertsController implements ReactiveController {
  private tracker: UnreadTracker | undefined;
  private muted: MutedConversations | undefined;
  private stopListening: (() => void) | undefined;
  /** The title without a count another instance may have left in it. */
  private readonly baseTitle = document.title.replace(/^\(\d+\+?\) /, '') || 'Happy Chat';
  private readonly onChange = () => this.showTotal();

  constructor(
    private readonly host: ReactiveControllerHost & EventTarget,
    private readonly target: () => ChatSession | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.follow();
  }

  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.unfollow();
    document.title = this.baseTitle;
  }

  private follow(): void {
    const session = this.target();
    const tracker = session ? unreadOf(session) : undefined;
    if (tracker === this.tracker) return;
    this.unfollow();
    this.tracker = tracker;
    if (!tracker || !session) return;
    this.muted = mutedOf(session);
    tracker.addEventListener('change', this.onChange);
    this.muted.addEventListener('change', this.onChange);
    this.stopListening = tracker.onNewMessage((conversationId, head) => this.notify(session, conversationId, head));
    this.showTotal();
  }

  private unfollow(): void {
    this.tracker?.removeEventListener('change', this.onChange);
    this.muted?.removeEventListener('change', this.onChange);
    this.stopListening?.();
    this.tracker = undefined;
    this.muted = undefined;
    this.stopListening = undefined;
  }

  private showTotal(): void {
    const muted = this.muted;
    document.title = titleWithUnread(this.tracker?.total((id) => muted?.has(id) ?? false) ?? 0, this.baseTitle);
  }

  private notify(session: ChatSession, conversationId: string, head: Head): void {
    if (document.visibilityState !== 'hidden' || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    void push.deviceState().then(
      (state) => state !== 'on' && this.show(session, conversationId, head),
      () => this.show(session, conversationId, head),
    );
  }

  /** From the head alone (the list's data): the conversation's document is not opened for a notification. */
  private show(session: ChatSession, conversationId: string, head: Head): void {
    const summary = session.conversation(conversationId);
    const opened = session.openedConversation(conversationId);
    const author =
      head.author === ROBOT_USER_ID
        ? robotName()
        : ((opened ? membersOf(opened.doc)[head.author]?.name : undefined) ??
          friendsOf(session.userDoc.doc).get(head.author)?.name ??
          (summary?.kind === 'group' ? msg('Someone') : (summary?.title ?? msg('Someone'))));
    const title = summary && summary.kind === 'group' ? msg(str`${author} in ${summary.title}`) : author;
    const body = head.kind === 'image' ? `📷 ${shownPreview(head)}` : shownPreview(head);
    const options: NotificationOptions = {
      body: body.length > NOTIFICATION_TEXT_MAX ? `${body.slice(0, NOTIFICATION_TEXT_MAX)}…` : body,
      // One notification per conversation: a newer message replaces the older one.
      tag: `conversation-${conversationId}`,
      icon: '/icons/icon.svg',
    };
    try {
      const notification = new Notification(title, options);
      notification.onclick = () => {
        window.focus();
        notification.close();
        this.host.dispatchEvent(new CustomEvent('open-conversation', { detail: { id: conversationId }, bubbles: true, composed: true }));
      };
    } catch {
      // Android Chrome allows notifications only through the service worker.
      void navigator.serviceWorker?.ready.then((registration) => registration.showNotification(title, options));
    }
  }
}
