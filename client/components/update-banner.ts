import { localized, msg } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { Workbox } from 'workbox-window';
import { formStyles } from './form-styles.js';

/**
 * "New version — reload": shown when a new service worker waits. The click
 * tells it to take over (it only skips waiting on this message), and the page
 * reloads once it controls the page.
 */
@customElement('update-banner')
@localized()
export class UpdateBanner extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        position: fixed;
        left: 50%;
        bottom: calc(16px + env(safe-area-inset-bottom, 0px));
        transform: translateX(-50%);
        z-index: 10;
        width: max-content;
        max-width: calc(100vw - 24px);
      }
      div {
        display: flex;
        align-items: center;
        gap: 12px;
        padding: 6px 6px 6px 16px;
        color: #fff;
        background: #1d2430;
        border-radius: 12px;
        box-shadow: 0 6px 24px rgb(0 0 0 / 25%);
      }
    `,
  ];

  @property({ attribute: false }) workbox: Workbox | undefined;
  @state() private reloading = false;

  override render() {
    return html`<div role="status" data-testid="update-banner">
      <span>${msg('New version available')}</span>
      <button type="button" ?disabled=${this.reloading} @click=${this.reload}>${this.reloading ? msg('Reloading…') : msg('Reload')}</button>
    </div>`;
  }

  private reload() {
    const workbox = this.workbox;
    if (!workbox) return;
    this.reloading = true;
    workbox.addEventListener('controlling', () => window.location.reload());
    workbox.messageSkipWaiting();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'update-banner': UpdateBanner;
  }
}
