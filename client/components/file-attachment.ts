/**
 * `<file-attachment>`: a file in a message (issue 15): an icon with its
 * type, the name and size, and Download. The name is the sender's text:
 * rendered by Lit as text, never as markup. In the app the link is our own
 * `/api/blobs/<id>?download=<name>` (or the local copy while it waits to be
 * sent); in the widget, which cannot send our cookie, there is no link and
 * Download raises `file-download` for the frame to fetch it with the
 * visitor's token.
 */
import { localized, msg, str } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatNumber } from '../i18n/formats.js';

export interface FileDownloadDetail {
  blobId: string;
  name: string;
}

/** A short type label: the name's extension, else the type's subtype ("PDF", "ZIP", "DOCX"). */
export function fileTypeLabel(name: string, mime: string): string {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1];
  const subtype = mime.split('/')[1] ?? '';
  const label = extension ?? (subtype.length <= 8 ? subtype : '');
  return label.toUpperCase() || msg('FILE');
}

/**
 * Bytes as a person reads them, in their language's number format: "980
 * bytes", "12 kB", "3.4 MB"; "980字节", "12 kB". Bytes in words, since
 * English's short byte has no plural ("16 byte"); kB and MB short, as every
 * file list writes them.
 */
export function fileSizeText(bytes: number): string {
  if (bytes < 1000) return formatNumber(bytes, { style: 'unit', unit: 'byte', unitDisplay: 'long' });
  if (bytes < 1000 * 1024) return formatNumber(bytes / 1024, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 });
  return formatNumber(bytes / (1024 * 1024), { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 });
}

@customElement('file-attachment')
@localized()
export class FileAttachment extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      align-items: center;
      gap: 10px;
      margin: 2px 0 4px;
      min-width: 0;
      max-width: min(320px, 100%);
      box-sizing: border-box;
    }
    .icon {
      flex: none;
      display: grid;
      place-items: center;
      width: 40px;
      height: 46px;
      border-radius: 6px;
      background: var(--hc-accent, #2f6fde);
      color: var(--hc-on-fill, #fff);
      font-size: 0.62rem;
      font-weight: 700;
      letter-spacing: 0.02em;
      overflow: hidden;
    }
    .about {
      display: flex;
      flex-direction: column;
      min-width: 0;
      flex: 1;
    }
    .name {
      font-weight: 600;
      overflow-wrap: anywhere;
      display: -webkit-box;
      -webkit-line-clamp: 2;
      -webkit-box-orient: vertical;
      overflow: hidden;
    }
    .size {
      color: var(--hc-muted, #5b6472);
      font-size: 0.8rem;
    }
    a,
    button {
      flex: none;
      font: inherit;
      font-size: 0.85rem;
      color: var(--hc-accent-dark, #1f56b8);
      background: none;
      border: 1px solid currentColor;
      border-radius: 999px;
      padding: 4px 10px;
      min-height: 32px;
      box-sizing: border-box;
      display: inline-flex;
      align-items: center;
      text-decoration: none;
      cursor: pointer;
    }
  `;

  @property() blobId = '';
  @property() name = '';
  @property() mime = '';
  @property({ type: Number }) size = 0;
  /** Where Download goes; none in the widget (it raises `file-download`) or while there is nothing to download yet. */
  @property() href: string | undefined;
  /** The widget asks the frame for the bytes: Download raises `file-download` instead of following a link. */
  @property({ type: Boolean }) viaEvent = false;

  override render() {
    const label = msg(str`Download ${this.name}`);
    return html`<span class="icon" aria-hidden="true">${fileTypeLabel(this.name, this.mime)}</span>
      <span class="about">
        <span class="name" data-testid="file-name">${this.name}</span>
        <span class="size" data-testid="file-size">${fileSizeText(this.size)}</span>
      </span>
      ${
        this.viaEvent
          ? html`<button type="button" data-testid="file-download" aria-label=${label} ?disabled=${!this.blobId} @click=${this.askDownload}>
              ${msg('Download')}</button>`
          : this.href
            ? html`<a data-testid="file-download" href=${this.href} download=${this.name} aria-label=${label}>${msg('Download')}</a>`
            : nothing
      }`;
  }

  private askDownload() {
    this.dispatchEvent(
      new CustomEvent<FileDownloadDetail>('file-download', {
        detail: { blobId: this.blobId, name: this.name },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'file-attachment': FileAttachment;
  }
}
