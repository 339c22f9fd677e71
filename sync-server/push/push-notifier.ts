/**
 * Decides who gets a push for a new message, and sends it. A server
 * participant like the robot (participants/participant.ts): after each
 * stored batch of a conversation it is told which messages the batch
 * numbered (`afterStore`), so it sees every message once, whoever wrote it
 * (people, the robot, the server's system messages), live or arriving late
 * from an offline phone, and never one that is only in memory: a write that
 * fails loses the message (its writer hands it over again), and nobody must
 * have been pushed about it. Read markers that move update the badge the
 * same way, once stored.
 *
 * For each other member with a device (or the mail digest, unread-digest.ts): nothing while they view the
 * conversation (viewers.ts); nothing when they muted it, unless a group
 * message mentions them (shared/mentions.ts); an edit that adds a mention
 * pushes the newly mentioned once (participants/edited-mentions.ts). Otherwise one push per conversation
 * per person every `throttleMs`, carrying the unread count; what arrives
 * meanwhile is coalesced into the next one (same notification tag). The app
 * badge each push carries leaves muted conversations out.
 */
import type * as Y from 'yjs';
import { ROBOT_USER_ID } from '../../shared/robot.js';
import { systemEventOf } from '../../shared/system-events.js';
import { type MemberInfo, membersOf, messagesOf, metaOf, type Message } from '../../shared/schema.js';
import type { Logger } from '../config.js';
import { noteEditedMentions, type EditedMention } from '../participants/edited-mentions.js';
import type { RoomEvent, ServerParticipant, StoredBatch } from '../participants/participant.js';
import type { Room } from '../relay/room.js';
import type { BadgeCountStore } from '../store/badge-counts.js';
import { unreadCount } from '../../shared/unread.js';
import { mentionsName } from '../../shared/mentions.js';
import { pushWords } from '../i18n/push-texts.js';
import { payloadOf, type Notice } from './push-notice.js';
import type { PushPreferences } from './push-preferences.js';
import type { PushSender } from './push-sender.js';
import type { SubscriptionStore } from './subscription-store.js';
import type { UnreadDigest } from './unread-digest.js';
import { viewersOf } from './viewers.js';

/** What the notifier did about one message for one person (logged at debug level, awaited by tests). */
export interface PushDecision {
  userId: string;
  conversationId: string;
  messageId: string | null;
  outcome: 'viewing' | 'muted' | 'sent' | 'coalesced' | 'no-devices';
}

export interface PushNotifierDeps {
  subscriptions: SubscriptionStore;
  preferences: PushPreferences;
  badges: BadgeCountStore;
  sender: PushSender;
  /** Told what stays unread for people who want the mail digest. */
  digest: UnreadDigest;
  /** Whether the session that subscribed a device is still signed in (expired, reset or signed out: the device goes). */
  sessionAlive(sessionId: string): Promise<boolean>;
  throttleMs: number;
  log: Logger;
  now?: () => number;
}

/** Throttle entries kept before the expired ones are swept (one per person and conversation with recent pushes). */
const THROTTLE_SWEEP_SIZE = 10_000;

interface Throttle {
  lastSentAt: number;
  /** The newest notice held back by the throttle, sent when its timer fires. */
  held: Notice | null;
  timer: NodeJS.Timeout | null;
}

/** One new message, read from the document when it was numbered (the document may unload before we act). */
interface Arrival {
  message: Message;
  groupTitle: string | null;
  /** A conversation with the robot: the list names it after the robot (in each reader's language). */
  robotConversation: boolean;
  /** The sender's name as a member; null for a system message, the robot, or a sender no longer listed. */
  authorName: string | null;
  recipients: Array<{ userId: string; name: string; viewing: boolean; count: number }>;
}

/** What the notifier keeps per loaded conversation room (its state there, participant.ts): noted in memory, acted on once stored. */
interface RoomNotes {
  conversationId: string;
  /** People whose read marker moved in the batch being stored; made when one does. */
  movedReads: Set<string> | null;
  /** Mentions that edits added, waiting for the store; made at the first. */
  edits: EditedMention[] | null;
}

export class PushNotifier implements ServerParticipant<RoomNotes> {
  readonly name = 'push';
  private readonly rooms = new Map<string, Room>();
  private readonly throttles = new Map<string, Throttle>();
  private readonly decisionListeners = new Set<(decision: PushDecision) => void>();
  private readonly pending = new Set<Promise<void>>();
  /** Arrivals are handled one at a time, so counts reach the throttle in the order they were read. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly now: () => number;

  constructor(private readonly deps: PushNotifierDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Calls `listener` with every decision; returns the unsubscribe function. */
  onDecision(listener: (decision: PushDecision) => void): () => void {
    this.decisionListeners.add(listener);
    return () => this.decisionListeners.delete(listener);
  }

  /** Resolves when every arrival so far is decided and every push started is answered (tests, shutdown). */
  async idle(): Promise<void> {
    await this.queue;
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Stops the throttle timers (held notices are dropped: the person will see the messages when they open the app). */
  close(): void {
    this.closed = true;
    for (const throttle of this.throttles.values()) if (throttle.timer) clearTimeout(throttle.timer);
    this.throttles.clear();
  }

  onRoomLoaded({ room, docName }: RoomEvent): RoomNotes | undefined {
    if (docName.kind !== 'conv') return undefined;
    this.rooms.set(docName.id, room);
    return { conversationId: docName.id, movedReads: null, edits: null };
  }

  readsChanged(event: Y.YMapEvent<number>, notes: RoomNotes): void {
    for (const userId of event.keysChanged) (notes.movedReads ??= new Set()).add(userId);
  }

  messagesChanged(event: Y.YMapEvent<Message>, notes: RoomNotes, { room }: RoomEvent): void {
    notes.edits = noteEditedMentions(notes.edits, room.doc, event);
  }

  afterStore({ room, docName, numbered }: StoredBatch, notes: RoomNotes | undefined): void {
    // An older segment's `meta` is a copy that may be stale (docs/SEGMENTS.md): its late messages push nobody.
    if (docName.kind !== 'conv' || !room.numbersMessages) {
      if (notes) notes.edits = notes.movedReads = null;
      return;
    }
    const conversationId = docName.id;
    for (const { messageId } of numbered) {
      const arrival = this.read(room, messageId);
      if (arrival) this.enqueue(() => this.handle(conversationId, arrival));
    }
    if (!notes) return;
    // Told once, as a mention: only the people the edit newly mentions.
    const edited = notes.edits ?? [];
    notes.edits = null;
    for (const { messageId, added } of edited) {
      const arrival = this.read(room, messageId);
      if (!arrival) continue;
      const recipients = arrival.recipients.filter((recipient) => added.includes(recipient.userId));
      if (recipients.length > 0) this.enqueue(() => this.handle(conversationId, { ...arrival, recipients }));
    }
    const moved = notes.movedReads;
    if (!moved) return;
    notes.movedReads = null;
    for (const userId of moved) this.readMoved(room, conversationId, userId);
  }

  onRoomUnloaded({ room }: RoomEvent, notes: RoomNotes | undefined): void {
    if (notes && this.rooms.get(notes.conversationId) === room) this.rooms.delete(notes.conversationId);
  }

  /** A read marker moved: the person's badge and digest count follow. */
  private readMoved(room: Room, conversationId: string, userId: string): void {
    if (!this.interested(userId)) return;
    const count = unreadCount(room.doc, userId);
    if (this.deps.subscriptions.hasDevicesNow(userId)) this.track(this.deps.badges.set(userId, conversationId, count));
    if (this.deps.preferences.digestAfterNow(userId) !== undefined) this.track(this.deps.digest.noteRead(userId, conversationId, count));
  }

  /** What the decision needs, read right after the store: who views the conversation and each person's unread count. */
  private read(room: Room, messageId: string): Arrival | null {
    const message = messagesOf(room.doc).get(messageId);
    if (!message || message.deleted) return null;
    const members = membersOf(room.doc);
    // Own keys in Object.entries' order, without its pairs and the filter's copy for every stored message (issue 14).
    let interested: Array<[string, MemberInfo]> | null = null;
    for (const userId in members) {
      if (!Object.hasOwn(members, userId) || userId === message.author || userId === ROBOT_USER_ID || !this.interested(userId)) continue;
      (interested ??= []).push([userId, members[userId]]);
    }
    // Nobody to tell: no viewers read (every shown presence state), no task queued (issue 14, session 13).
    if (interested === null) return null;
    const kind = metaOf(room.doc).get('kind');
    const title = metaOf(room.doc).get('title');
    const viewers = viewersOf(room);
    const recipients = interested.map(([userId, info]) => ({
      userId,
      name: info.name,
      viewing: viewers.has(userId),
      count: unreadCount(room.doc, userId),
    }));
    const authorName = message.kind === 'system' ? null : (members[message.author]?.name ?? null);
    const groupTitle = kind === 'group' && typeof title === 'string' ? title : null;
    return { message, groupTitle, robotConversation: kind === 'robot', authorName, recipients };
  }

  private async handle(conversationId: string, arrival: Arrival): Promise<void> {
    const { message } = arrival;
    const decide = (userId: string, outcome: PushDecision['outcome']) =>
      this.decided({ userId, conversationId, messageId: message.id, outcome });
    for (const recipient of arrival.recipients) {
      if (recipient.viewing) {
        decide(recipient.userId, 'viewing');
        continue;
      }
      const mentioned = arrival.groupTitle !== null && message.kind === 'text' && mentionsName(message.text, recipient.name);
      if (!mentioned && (await this.deps.preferences.isMuted(recipient.userId, conversationId))) {
        decide(recipient.userId, 'muted');
        continue;
      }
      if (this.deps.preferences.digestAfterNow(recipient.userId) !== undefined) {
        // The digest line is kept until mailed: its names are worded now, in the language the mail will speak.
        const words = pushWords(await this.deps.preferences.localeOf(recipient.userId));
        const author =
          message.kind === 'system' ? null : message.author === ROBOT_USER_ID ? words.robotName : (arrival.authorName ?? words.someone);
        await this.deps.digest.noteUnread(recipient.userId, conversationId, {
          title: arrival.groupTitle ?? (arrival.robotConversation ? words.robotName : author) ?? words.aConversation,
          count: recipient.count,
          from: author ? [author] : [],
        });
      }
      if (!this.deps.subscriptions.hasDevicesNow(recipient.userId)) {
        decide(recipient.userId, 'no-devices');
        continue;
      }
      await this.deps.badges.set(recipient.userId, conversationId, recipient.count);
      const notice: Notice = {
        conversationId,
        author: arrival.authorName,
        groupTitle: arrival.groupTitle,
        kind: message.kind,
        text: message.kind === 'file' && !message.text ? (message.attachments?.[0]?.name ?? '') : message.text,
        fromRobot: message.author === ROBOT_USER_ID,
        event: message.kind === 'system' ? systemEventOf(message.event) : undefined,
        count: recipient.count,
      };
      decide(recipient.userId, this.throttle(recipient.userId, notice));
    }
  }

  /** Sends now, or holds the notice for the throttle's next turn. */
  private throttle(userId: string, notice: Notice): 'sent' | 'coalesced' {
    const key = `${userId}!${notice.conversationId}`;
    if (!this.throttles.has(key) && this.throttles.size >= THROTTLE_SWEEP_SIZE) this.sweepThrottles();
    const throttle = this.throttles.get(key) ?? { lastSentAt: -Infinity, held: null, timer: null };
    this.throttles.set(key, throttle);
    const wait = throttle.lastSentAt + this.deps.throttleMs - this.now();
    if (wait <= 0 && !throttle.timer) {
      throttle.lastSentAt = this.now();
      this.track(this.sendToDevices(userId, notice));
      return 'sent';
    }
    throttle.held = notice;
    throttle.timer ??= setTimeout(() => this.release(key, userId), Math.max(0, wait));
    return 'coalesced';
  }

  /** Forgets throttles whose time is up and that hold nothing: they would allow a push now anyway. */
  private sweepThrottles(): void {
    const expired = this.now() - this.deps.throttleMs;
    for (const [key, throttle] of this.throttles) {
      if (!throttle.timer && throttle.lastSentAt <= expired) this.throttles.delete(key);
    }
  }

  private release(key: string, userId: string): void {
    const throttle = this.throttles.get(key);
    if (!throttle || this.closed) return;
    throttle.timer = null;
    const notice = throttle.held;
    throttle.held = null;
    if (!notice) return;
    // They may have opened the conversation (or read it elsewhere) meanwhile.
    const room = this.rooms.get(notice.conversationId);
    if (room && viewersOf(room).has(userId)) {
      this.decided({ userId, conversationId: notice.conversationId, messageId: null, outcome: 'viewing' });
      return;
    }
    const count = room ? unreadCount(room.doc, userId) : notice.count;
    if (count === 0) return;
    throttle.lastSentAt = this.now();
    this.track(this.sendToDevices(userId, { ...notice, count }));
    this.decided({ userId, conversationId: notice.conversationId, messageId: null, outcome: 'sent' });
  }

  private async sendToDevices(userId: string, notice: Notice): Promise<void> {
    const [devices, showContent, badge] = await Promise.all([
      this.deps.subscriptions.ofUser(userId),
      this.deps.preferences.showsContent(userId),
      this.badge(userId),
    ]);
    await Promise.all(
      devices.map(async (device) => {
        if (!(await this.deps.sessionAlive(device.sessionId))) {
          await this.deps.subscriptions.remove(userId, device.id);
          return;
        }
        // Each device in its own language: a person may use the app in Chinese on one and English on another.
        const outcome = await this.deps.sender.send(device, payloadOf(notice, showContent, badge, device.locale));
        if (outcome.kind === 'gone') {
          this.deps.log.info('push subscription expired; removed', { user: userId, status: outcome.status });
          await this.deps.subscriptions.remove(userId, device.id);
        } else if (outcome.kind === 'failed') {
          this.deps.log.warn('push failed', { user: userId, status: outcome.status, error: outcome.error });
        }
      }),
    );
  }

  /**
   * The app badge: unread over the person's conversations but the muted ones
   * (issue 15: a muted conversation adds nothing to the badge, as the page
   * title leaves it out), even on the push a mention in one of them still sends.
   */
  private async badge(userId: string): Promise<number> {
    return this.deps.badges.total(userId, await this.deps.preferences.mutedOf(userId));
  }

  /** Whether anything here concerns the person: a device for pushes, or the mail digest. */
  private interested(userId: string): boolean {
    return this.deps.subscriptions.hasDevicesNow(userId) || this.deps.preferences.digestAfterNow(userId) !== undefined;
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => this.deps.log.error('push notifier failed', { error: String(error) }));
  }

  private track(task: Promise<void>): void {
    const tracked = task
      .catch((error: unknown) => this.deps.log.error('push notifier failed', { error: String(error) }))
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private decided(decision: PushDecision): void {
    for (const listener of this.decisionListeners) listener(decision);
  }
}
