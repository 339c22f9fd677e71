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
import type { ConversationStore } from '../store/conversations.js';

/** A loaded widget conversation (the participant's state in its room, participant.ts). */
interface Watch {
  /** Set once the store said the conversation is still hidden: from then on its messages are read. */
  hidden: boolean;
  detached: boolean;
}

export class FirstVisitorMessage implements ServerParticipant<Watch> {
  readonly name = 'first-visitor-message';
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

  onRoomLoaded({ room, docName }: RoomEvent): Watch | undefined {
    if (docName.kind !== 'conv') return undefined;
    const conversationId = docName.id;
    const watch: Watch = { hidden: false, detached: false };
    void this.conversations.byId(conversationId).then((conversation) => {
      if (!conversation?.hiddenUntilWritten || watch.detached) return;
      watch.hidden = true;
      // Written while the server was down between the write and the listing.
      if ([...messagesOf(room.doc).values()].some(isWritten)) this.list(conversationId);
    });
    return watch;
  }

  messagesChanged(event: Y.YMapEvent<Message>, watch: Watch, { room, docName }: RoomEvent): void {
    if (!watch.hidden) return;
    const messages = messagesOf(room.doc);
    if ([...event.keysChanged].some((id) => isWritten(messages.get(id)))) this.list(docName.id);
  }

  onRoomUnloaded(_event: RoomEvent, watch: Watch | undefined): void {
    if (watch) watch.detached = true;
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
