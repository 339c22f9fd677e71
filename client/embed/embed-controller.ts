/** Brings the bridge, the visitor and the open conversation into `<embed-chat>`: it re-renders when any of them changes. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EmbedBridge } from './embed-bridge.js';
import type { VisitorConversation } from './visitor-conversation.js';

export class EmbedController implements ReactiveController {
  private bridge: EmbedBridge | undefined;
  private conversation: VisitorConversation | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: () => EmbedBridge | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.bridge = this.source();
    this.bridge?.addEventListener('change', this.onChange);
    this.follow();
  }

  hostDisconnected(): void {
    this.bridge?.removeEventListener('change', this.onChange);
    this.bridge = undefined;
    this.follow();
  }

  private readonly onChange = (): void => {
    this.follow();
    this.host.requestUpdate();
  };

  private readonly onConversationChange = (): void => this.host.requestUpdate();

  /** Listens to whichever conversation is open now (a reset replaces it). */
  private follow(): void {
    const next = this.bridge?.visitor.conversation ?? null;
    if (next === this.conversation) return;
    this.conversation?.removeEventListener('change', this.onConversationChange);
    this.conversation = next;
    next?.addEventListener('change', this.onConversationChange);
  }
}
