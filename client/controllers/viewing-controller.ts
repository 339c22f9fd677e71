/**
 * Says whether I am looking at the open conversation: `viewing: true` in its
 * presence while it is open and the tab visible, read by the server, which
 * then sends me no push for it (sync-server/push/viewers.ts); and the same
 * to the service worker, which then shows no notification for a push
 * already on its way (client/sw-push.ts). When the tab hides or I leave,
 * both hear so (and presence disappears with the connection anyway).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Awareness } from 'y-protocols/awareness';
import type { ViewingMessage } from '../sw-push.js';

/** The presence field the server reads (sync-server/push/viewers.ts). */
export const VIEWING_FIELD = 'viewing';

interface Target {
  awareness: Awareness | undefined;
  conversationId: string | undefined;
}

export class ViewingController implements ReactiveController {
  private awareness: Awareness | undefined;
  private conversationId: string | undefined;
  private readonly onVisibility = () => this.show();

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => Target,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
    // The first page load is controlled only once the new worker claims it.
    navigator.serviceWorker?.addEventListener('controllerchange', this.onVisibility);
    this.follow();
  }

  hostUpdated(): void {
    this.follow();
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    navigator.serviceWorker?.removeEventListener('controllerchange', this.onVisibility);
    this.set(this.awareness, false);
    tellWorker(null);
    this.awareness = undefined;
    this.conversationId = undefined;
  }

  private follow(): void {
    const { awareness, conversationId } = this.target();
    if (awareness === this.awareness && conversationId === this.conversationId) return;
    // Another conversation: the one I left is no longer in view.
    if (awareness !== this.awareness) this.set(this.awareness, false);
    this.awareness = awareness;
    this.conversationId = conversationId;
    this.show();
  }

  private show(): void {
    const visible = document.visibilityState === 'visible';
    this.set(this.awareness, visible);
    tellWorker(visible ? (this.conversationId ?? null) : null);
  }

  private set(awareness: Awareness | undefined, viewing: boolean): void {
    if (!awareness || awareness.getLocalState() === null) return;
    if (awareness.getLocalState()?.[VIEWING_FIELD] === viewing) return;
    awareness.setLocalStateField(VIEWING_FIELD, viewing);
  }
}

function tellWorker(conversationId: string | null): void {
  navigator.serviceWorker?.controller?.postMessage({ type: 'viewing', conversationId } satisfies ViewingMessage);
}
