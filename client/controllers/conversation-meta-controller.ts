/**
 * Brings a conversation's `meta` (written by the server: kind, title,
 * notice, picture, members with roles) into a component, from the local
 * copy: the group info panel reads it offline, and after I left.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { membersOf, metaOf, type ConversationKind, type MemberInfo } from '../../shared/schema.js';
import type { ChatSession } from '../data/chat-session.js';
import type { DocConnection } from '../data/doc-connection.js';

export interface ConversationMeta {
  kind: ConversationKind | undefined;
  title: string;
  notice: string;
  avatar: string | undefined;
  members: Record<string, MemberInfo>;
}

interface Target {
  session: ChatSession | undefined;
  conversationId: string | undefined;
}

export class ConversationMetaController implements ReactiveController {
  private connection: DocConnection | undefined;
  private cached: ConversationMeta | undefined;
  private connected = false;
  private readonly onChange = () => {
    this.cached = undefined;
    this.host.requestUpdate();
  };

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly target: () => Target,
  ) {
    host.addController(this);
  }

  get meta(): ConversationMeta {
    if (this.cached) return this.cached;
    const doc = this.connection?.doc;
    const meta = doc ? metaOf(doc) : undefined;
    const text = (key: string) => {
      const value = meta?.get(key);
      return typeof value === 'string' ? value : '';
    };
    const kind = meta?.get('kind');
    this.cached = {
      kind: typeof kind === 'string' ? (kind as ConversationKind) : undefined,
      title: text('title'),
      notice: text('notice'),
      avatar: text('avatar') || undefined,
      members: doc ? membersOf(doc) : {},
    };
    return this.cached;
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
  }

  private follow(): void {
    if (!this.connected) return;
    const { session, conversationId } = this.target();
    const next = session && conversationId ? session.openConversation(conversationId) : undefined;
    if (next === this.connection) return;
    this.unsubscribe();
    this.connection = next;
    this.cached = undefined;
    if (next) metaOf(next.doc).observe(this.onChange);
  }

  private unsubscribe(): void {
    if (this.connection) metaOf(this.connection.doc).unobserve(this.onChange);
    this.connection = undefined;
    this.cached = undefined;
  }
}
