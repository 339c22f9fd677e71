import { LitElement, css, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { customElement, state } from 'lit/decorators.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { SessionController } from '../controllers/session-controller.js';

/** The header's sync indicator: online / connecting / waiting (and why) / offline, how many messages wait, and how many were not sent. */
@customElement('sync-status')
export class SyncStatus extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 0.85rem;
      color: var(--hc-muted, #5b6472);
      white-space: nowrap;
    }
    .dot {
      width: 8px;
      height: 8px;
      border-radius: 50%;
      background: currentColor;
      flex: none;
    }
    [data-status='online'] .dot {
      color: var(--hc-ok, #1e8e4f);
    }
    [data-status='connecting'] .dot,
    [data-status='waiting'] .dot {
      color: var(--hc-warn, #a86500);
    }
    [data-status='offline'] .dot,
    [data-status='session-ended'] .dot {
      color: var(--hc-muted, #5b6472);
    }
    span[data-testid] {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      min-width: 0;
    }
    /* Why we wait (quota, full disk): one line, the whole text in the tooltip and for screen readers. */
    span.notice {
      display: inline-block;
      max-width: 32ch;
      overflow: hidden;
      text-overflow: ellipsis;
    }
  `;

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;

  constructor() {
    super();
    new SessionController(this, () => this.session);
  }

  override render() {
    if (!this.session) return null;
    const summary = this.session.syncSummary();
    return html`<span data-testid="sync-status" data-status=${summary.status} data-pending=${summary.pending}
      data-failed=${summary.failed} role="status" aria-live="polite"><span class="dot" aria-hidden="true"></span>${summary.label}${
        summary.notice ? html`<span class="notice" data-testid="sync-notice" title=${summary.notice}>— ${summary.notice}</span>` : nothing
      }</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sync-status': SyncStatus;
  }
}
