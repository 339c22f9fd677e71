/**
 * Brings one conversation document into a component: its messages in display
 * order (with the ones set aside after a refusal), its members, and its
 * connection state. The host renders from here and never touches Yjs itself.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { orderedMessages, type OrderedMessage } from '../../shared/message-order.js';
import { membersOf, messagesOf, metaOf, seqOf, type MemberInfo } from '../../shared/schema.js';
import type { ChatSession } from '../data/chat-session.js';
import type { DocConnection } from '../data/doc-connection.js';
import { withSetAside, type DisplayedMessage, type Recovery } from '../data/refusal-recovery.js';

interface Target {
  session: ChatSession | undefined;
  conversationId: string | undefined;
}

export class ConversationController implements ReactiveController {
  /** The open conversation, or undefined when none is selected. */
  connection: DocConnection | undefined;
  private cachedMessages: OrderedMessage[] | undefined;
  private displayed: { from: OrderedMessage[]; recovery: Recovery | undefined; messages: DisplayedMessage[] } | undefined;
  private readonly onDocChange = () => {
    this.cachedMessages = undefined;
    this.host.requestUpdate();
  };
  private readonly onConnectionChange = () => this.host.requestUpdate();
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => Target,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    this.follow();
  }

  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unsubscribe();
    this.connection = undefined;
  }

  messages(): DisplayedMessage[] {
    if (!this.connection) return [];
    const ordered = (this.cachedMessages ??= orderedMessages(this.connection.doc));
    const recovery = this.recovery();
    // Recoveries are immutable values: the same object means nothing changed.
    if (this.displayed?.from !== ordered || this.displayed.recovery !== recovery) {
      this.displayed = { from: ordered, recovery, messages: withSetAside(ordered, recovery) };
    }
    return this.displayed.messages;
  }

  /** Where this conversation stands after the relay refused its replica, if it did. */
  recovery(): Recovery | undefined {
    const { session, conversationId } = this.target();
    return session && conversationId ? session.recoveryOf(conversationId) : undefined;
  }

  members(): Record<string, MemberInfo> {
    return this.connection ? membersOf(this.connection.doc) : {};
  }

  private follow(): void {
    if (!this.connected) return;
    const { session, conversationId } = this.target();
    const next = session && conversationId ? session.openConversation(conversationId) : undefined;
    if (next === this.connection) return;
    this.unsubscribe();
    this.connection = next;
    this.cachedMessages = undefined;
    if (!next) return;
    messagesOf(next.doc).observe(this.onDocChange);
    seqOf(next.doc).observe(this.onDocChange);
    metaOf(next.doc).observe(this.onDocChange);
    next.addEventListener('change', this.onConnectionChange);
  }

  private unsubscribe(): void {
    const current = this.connection;
    if (!current) return;
    messagesOf(current.doc).unobserve(this.onDocChange);
    seqOf(current.doc).unobserve(this.onDocChange);
    metaOf(current.doc).unobserve(this.onDocChange);
    current.removeEventListener('change', this.onConnectionChange);
  }
}
