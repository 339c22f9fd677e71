/**
 * My read marker follows what I have seen: the conversation open and
 * loaded, the tab visible, the newest message in view (the list says so).
 * After each render and whenever one of these changes, the marker moves to
 * the newest message; the write itself is `MessageChangesController.markRead`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DocConnection } from '../data/sync/doc-connection.js';

interface Target {
  connection: DocConnection | undefined;
  writable: boolean;
  markRead: () => void;
  /**
   * Resolves once the list has rendered what the host just gave it. New
   * messages may move it (opening at the first unread one), so whether the
   * newest is in view is decided after that, or they would count as read
   * unseen.
   */
  listRendered: () => Promise<unknown>;
}

export class ReadMarkerController implements ReactiveController {
  /** Whether the newest message is in view (then what arrives counts as read). */
  private atBottom = true;
  private readonly onVisibility = () => this.markIfSeen();

  constructor(
    host: ReactiveControllerHost,
    private readonly target: () => Target,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  hostUpdated(): void {
    this.markIfSeen();
  }

  /** The list says whether its newest message is in view. */
  position(atBottom: boolean): void {
    this.atBottom = atBottom;
    this.markIfSeen();
  }

  /** Another conversation opened: it shows its newest message first. */
  reset(): void {
    this.atBottom = true;
  }

  private markIfSeen(): void {
    if (!this.seen()) return;
    void this.target()
      .listRendered()
      .then(() => {
        if (this.seen()) this.target().markRead();
      });
  }

  private seen(): boolean {
    const { connection, writable } = this.target();
    if (!connection || !this.atBottom || document.visibilityState !== 'visible') return false;
    return connection.state.localLoaded && writable;
  }
}
