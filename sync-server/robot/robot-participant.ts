/**
 * The robot as a server participant (participants/participant.ts). When a
 * conversation it belongs to is loaded, it watches the messages; a person's
 * message (live, or arriving late from an offline phone) gets one reply,
 * written as a message by the robot with `replyTo` set. That `replyTo` is
 * also its memory: a message with a robot reply is never answered again,
 * even after a restart.
 */
import type * as Y from 'yjs';
import { newMessageId } from '../../shared/message-id.js';
import { orderedMessages } from '../../shared/message-order.js';
import { mentionsRobot, ROBOT_NAME, ROBOT_USER_ID, withoutMention } from '../../shared/robot.js';
import { membersOf, messagesOf, metaOf, type Message } from '../../shared/schema.js';
import type { Logger } from '../config.js';
import type { RoomEvent, ServerParticipant } from '../participants/participant.js';
import type { DocumentCommands } from '../commands/document-command.js';
import type { DocRegistry } from '../relay/doc-registry.js';
import type { RateLimiter } from '../limiting/rate-limiter.js';
import type { ConversationStore } from '../store/conversations.js';
import type { ReminderScheduler } from './reminders.js';
import type { ChatTurn, Responder } from './responder.js';

/** Messages answered when a document loads with a backlog (e.g. after a crash): the newest few only. */
const BACKLOG_LIMIT = 5;
const HISTORY_TURNS = 12;

export interface RobotOptions {
  /** Replies per conversation (ROBOT_REPLIES_PER_MINUTE); beyond it the robot stays quiet. Shared by a cluster's relays, so a document changing owner does not reset it. */
  replies: RateLimiter;
}

/** The robot in one loaded conversation (its state there, participant.ts). */
interface Attendance {
  /** Set once the store said the robot is a member: from then on it reads the messages. */
  member: boolean;
  detached: boolean;
}

export class RobotParticipant implements ServerParticipant<Attendance> {
  readonly name = 'robot';
  private readonly inFlight = new Set<string>();
  private readonly limiter: RateLimiter;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly registry: DocRegistry,
    /** Writes the reply where the conversation is owned now (it may have moved while the robot thought). */
    private readonly commands: DocumentCommands,
    private readonly conversations: ConversationStore,
    private readonly responder: Responder,
    private readonly reminders: ReminderScheduler,
    private readonly log: Logger,
    options: RobotOptions,
  ) {
    this.limiter = options.replies;
  }

  /** Resolves when every reply started so far has been written (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  onRoomLoaded({ room, docName }: RoomEvent): Attendance | undefined {
    if (docName.kind !== 'conv') return undefined;
    const conversationId = docName.id;
    const attendance: Attendance = { member: false, detached: false };
    // Membership is in the store; the room is usable meanwhile, so attach as soon as we know.
    void this.conversations.isMember(conversationId, ROBOT_USER_ID).then(
      (member) => {
        if (!member || attendance.detached) return;
        attendance.member = true;
        if (room.numbersMessages) for (const message of this.backlog(room.doc)) this.answer(room.name, conversationId, message);
      },
      // The robot stays out of this copy of the document; it asks again when the document loads next.
      (error: unknown) =>
        this.log.error('the robot could not learn whether it is in a conversation', { conversation: conversationId, error: String(error) }),
    );
    return attendance;
  }

  messagesChanged(event: Y.YMapEvent<Message>, attendance: Attendance, { room, docName }: RoomEvent): void {
    // Most conversations are not the robot's; it answers in the newest segment only (docs/SEGMENTS.md): a question that arrives late in an older one stays unanswered.
    if (!attendance.member || !room.numbersMessages) return;
    const messages = messagesOf(room.doc);
    for (const id of event.keysChanged) {
      const message = messages.get(id);
      if (message && this.needsAnswer(room.doc, message)) this.answer(room.name, docName.id, message);
    }
  }

  onRoomUnloaded(_event: RoomEvent, attendance: Attendance | undefined): void {
    if (attendance) attendance.detached = true;
  }

  private needsAnswer(doc: Y.Doc, message: Message): boolean {
    if (message.author === ROBOT_USER_ID || message.kind !== 'text' || message.deleted) return false;
    if (!(message.author in membersOf(doc))) return false;
    if (this.inFlight.has(message.id)) return false;
    const kind = metaOf(doc).get('kind');
    if (kind !== 'robot' && !mentionsRobot(message.text)) return false;
    return !this.answered(doc).has(message.id);
  }

  private answered(doc: Y.Doc): Set<string> {
    const ids = new Set<string>();
    messagesOf(doc).forEach((m) => {
      if (m.author === ROBOT_USER_ID && m.replyTo) ids.add(m.replyTo);
    });
    return ids;
  }

  /** Unanswered messages after the robot's last reply, newest few. */
  private backlog(doc: Y.Doc): Message[] {
    const ordered = orderedMessages(doc).map((m) => m.message);
    const lastReply = ordered.map((m) => m.author === ROBOT_USER_ID).lastIndexOf(true);
    return ordered
      .slice(lastReply + 1)
      .filter((m) => this.needsAnswer(doc, m))
      .slice(-BACKLOG_LIMIT);
  }

  private answer(docName: string, conversationId: string, message: Message): void {
    this.inFlight.add(message.id);
    const task = this.reply(docName, conversationId, message)
      .catch((error: unknown) => this.log.error('the robot failed to answer', { doc: docName, message: message.id, error: String(error) }))
      .finally(() => {
        this.inFlight.delete(message.id);
        this.pending.delete(task);
      });
    this.pending.add(task);
  }

  private async reply(docName: string, conversationId: string, message: Message): Promise<void> {
    if (!(await this.limiter.consume(conversationId)).allowed) {
      this.log.warn('the robot is rate limited in a conversation', { conversation: conversationId });
      return;
    }
    // Hold the document while thinking, so it is not unloaded under us.
    const room = await this.registry.acquire(docName);
    try {
      room.setServerPresence({ user: { id: ROBOT_USER_ID, name: ROBOT_NAME }, typing: true });
      const members = membersOf(room.doc);
      const reply = await this.responder.respond({
        text: withoutMention(message.text),
        userName: members[message.author]?.name ?? 'there',
        history: this.history(room.doc, message),
        now: new Date(),
      });
      const answer: Message & { replyTo: string } = {
        id: newMessageId(),
        author: ROBOT_USER_ID,
        kind: 'text',
        text: reply.text,
        createdAt: Date.now(),
        replyTo: message.id,
      };
      // Written once per question: checked again at write time (commands/apply-command.ts), where a second task may have answered.
      await this.commands.run({ kind: 'robot-reply', docName, message: answer });
      if (reply.reminder) await this.reminders.add(conversationId, message.author, reply.reminder.text, reply.reminder.dueAt);
    } finally {
      if (!room.hasFailed) room.setServerPresence(null);
      this.registry.release(room);
    }
  }

  private history(doc: Y.Doc, upTo: Message): ChatTurn[] {
    const members = membersOf(doc);
    const ordered = orderedMessages(doc)
      .map((m) => m.message)
      .filter((m) => m.kind === 'text' && !m.deleted);
    const end = ordered.findIndex((m) => m.id === upTo.id);
    return ordered
      .slice(0, end < 0 ? ordered.length : end + 1)
      .slice(-HISTORY_TURNS)
      .map((m) =>
        m.author === ROBOT_USER_ID
          ? { role: 'assistant' as const, text: m.text }
          : { role: 'user' as const, name: members[m.author]?.name, text: withoutMention(m.text) },
      );
  }
}
