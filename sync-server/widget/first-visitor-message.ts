/**
 * A widget conversation appears in the site people's lists with the
 * visitor's first message, not when the visitor merely opens the bubble
 * (issue 15). A server participant: it watches the messages of each loaded
 * widget conversation still marked `hiddenUntilWritten`, and at the first
 * one (live, or found when the document loads after a restart) clears the
 * mark and refreshes the lists.
 */
import type * as Y from 'yjs';
import { messagesOf, type Message } from '../../shared/schema.js';
import type { Logger } from '../config.js';
import type { ConversationDocuments } from '../conversations/conversation-documents.js';
import { SYSTEM_AUTHOR } from '../conversations/conversation-documents.js';
import type { RoomEvent, ServerParticipant } from '../participants/participant.js';
import type { Room } from '../relay/room.js';
import type { ConversationStore } from '../store/conversations.js';

export class FirstVisitorMessage implements ServerParticipant {
  readonly name = 'first-visitor-message';
  private readonly detachers = new Map<Room, () => void>();
  /** Conversations being listed now: a burst of messages lists once. */
  private readonly listing = new Set<string>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly conversations: ConversationStore,
    private readonly documents: ConversationDocuments,
    private readonly log: Logger,
  ) {}

  /** Resolves when every listing started so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  onRoomLoaded({ room, docName }: RoomEvent): void {
    if (docName.kind !== 'conv') return;
    const conversationId = docName.id;
    const messages = messagesOf(room.doc);
    let observing = false;
    let detached = false;
    const onChange = (event: Y.YMapEvent<Message>) => {
      if ([...event.keysChanged].some((id) => isWritten(messages.get(id)))) this.list(conversationId);
    };
    this.detachers.set(room, () => {
      detached = true;
      if (observing) messages.unobserve(onChange);
    });
    void this.conversations.byId(conversationId).then((conversation) => {
      if (!conversation?.hiddenUntilWritten || detached) return;
      observing = true;
      messages.observe(onChange);
      // Written while the server was down between the write and the listing.
      if ([...messages.values()].some(isWritten)) this.list(conversationId);
    });
  }

  onRoomUnloaded({ room }: RoomEvent): void {
    this.detachers.get(room)?.();
    this.detachers.delete(room);
  }

  private list(conversationId: string): void {
    if (this.listing.has(conversationId)) return;
    this.listing.add(conversationId);
    const work = this.listNow(conversationId)
      .catch((error: unknown) => this.log.error('listing a widget conversation failed', { conversationId, error: String(error) }))
      .finally(() => {
        this.listing.delete(conversationId);
        this.pending.delete(work);
      });
    this.pending.add(work);
  }

  private async listNow(conversationId: string): Promise<void> {
    const conversation = await this.conversations.byId(conversationId);
    if (!conversation?.hiddenUntilWritten) return;
    await this.conversations.update({ ...conversation, hiddenUntilWritten: undefined });
    await this.documents.refresh(conversationId);
  }
}

/** A message someone wrote (the server's own notes do not count). */
function isWritten(message: Message | undefined): boolean {
  return message !== undefined && message.author !== SYSTEM_AUTHOR;
}
