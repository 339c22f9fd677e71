import { localized, msg } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';

/**
 * A picture at full size over the app, in a modal `<dialog>` (focus stays
 * inside, Escape closes). Closing by the button, Escape or a click beside the
 * picture fires `lightbox-close`. Loaded on demand the first time a picture opens.
 */
@customElement('picture-lightbox')
@localized()
export class PictureLightbox extends LitElement {
  static override styles = css`
    dialog {
      width: 100vw;
      height: 100vh;
      height: 100dvh;
      max-width: none;
      max-height: none;
      margin: 0;
      padding: 0;
      border: 0;
      background: rgb(10 12 16 / 0.92);
    }
    dialog::backdrop {
      background: transparent;
    }
    .frame {
      display: grid;
      place-items: center;
      width: 100%;
      height: 100%;
      padding: 48px 12px 12px;
      box-sizing: border-box;
    }
    img {
      max-width: 100%;
      max-height: 100%;
      width: auto;
      height: auto;
      object-fit: contain;
      box-shadow: 0 8px 40px rgb(0 0 0 / 0.5);
    }
    .close {
      position: absolute;
      top: max(8px, env(safe-area-inset-top, 0px));
      right: 8px;
      min-width: 44px;
      min-height: 44px;
      font-size: 1.6rem;
      line-height: 1;
      color: #fff;
      background: rgb(255 255 255 / 0.12);
      border: 0;
      border-radius: 50%;
      cursor: pointer;
    }
    .close:focus-visible {
      outline: 3px solid #8fb3ff;
    }
  `;

  @property() src = '';
  @property() alt = '';
  @property({ type: Number }) width: number | undefined;
  @property({ type: Number }) height: number | undefined;
  @query('dialog') private dialog?: HTMLDialogElement;

  override render() {
    return html`<dialog data-testid="lightbox" aria-label=${this.alt || msg('Picture')} @close=${this.closed} @click=${this.backdropClick}>
      <button type="button" class="close" aria-label=${msg('Close')} data-testid="lightbox-close" @click=${this.close}>×</button>
      <div class="frame">
        <img src=${this.src} alt=${this.alt} width=${ifDefined(this.width)} height=${ifDefined(this.height)} />
      </div>
    </dialog>`;
  }

  override firstUpdated() {
    this.dialog?.showModal();
  }

  close = () => {
    this.dialog?.close();
  };

  private backdropClick(event: MouseEvent) {
    // A click on the picture itself keeps it open; anywhere else closes.
    if (!(event.target instanceof HTMLImageElement)) this.close();
  }

  private closed() {
    this.dispatchEvent(new CustomEvent('lightbox-close', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'picture-lightbox': PictureLightbox;
  }
}
