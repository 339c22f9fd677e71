/**
 * Whether the browser says it is online. Social actions (requests, groups,
 * profile edits) are REST calls: while offline their buttons are disabled
 * and say why, and everything readable keeps working from local documents.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class OnlineController implements ReactiveController {
  online = true;
  private readonly onChange = () => {
    this.online = navigator.onLine;
    this.host.requestUpdate();
  };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.online = navigator.onLine;
    window.addEventListener('online', this.onChange);
    window.addEventListener('offline', this.onChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.onChange);
    window.removeEventListener('offline', this.onChange);
  }
}
