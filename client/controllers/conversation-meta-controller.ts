/**
 * Brings a conversation's `meta` (written by the server: kind, title,
 * notice, picture, members with roles) into a component, from the local
 * copy: the group info panel reads it offline, and after I left.
 */
import type { ReactiveControllerHost } from 'lit';
import { membersOf, metaOf, type ConversationKind, type MemberInfo } from '../../shared/schema.js';
import type { ChatSession } from '../data/session/chat-session.js';
import type { DocConnection } from '../data/sync/doc-connection.js';
import { pinsByAdminsOnly } from '../../shared/pin-rights.js';
import { FollowingController } from './following-controller.js';

export interface ConversationMeta {
  kind: ConversationKind | undefined;
  title: string;
  notice: string;
  avatar: string | undefined;
  members: Record<string, MemberInfo>;
  /** A group where only the owner and admins pin (shared/pin-rights.ts). */
  pinsByAdmins: boolean;
}

interface Target {
  session: ChatSession | undefined;
  conversationId: string | undefined;
}

export class ConversationMetaController extends FollowingController<DocConnection> {
  private cached: ConversationMeta | undefined;
  private readonly onChange = () => {
    this.cached = undefined;
    this.host.requestUpdate();
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => Target,
  ) {
    super(host);
    host.addController(this);
  }

  get meta(): ConversationMeta {
    if (this.cached) return this.cached;
    const doc = this.source?.doc;
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
      pinsByAdmins: doc ? pinsByAdminsOnly(doc) : false,
    };
    return this.cached;
  }

  protected resolve(): DocConnection | undefined {
    const { session, conversationId } = this.target();
    return session && conversationId ? session.openConversation(conversationId) : undefined;
  }

  protected attach(connection: DocConnection): void {
    metaOf(connection.doc).observe(this.onChange);
  }

  protected detach(connection: DocConnection): void {
    metaOf(connection.doc).unobserve(this.onChange);
  }

  protected override sourceChanged(): void {
    this.cached = undefined;
  }
}
