import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { hueOf, initialOf, safeAvatarUrl } from '../data/pictures/avatar-url.js';

/**
 * A round picture of a person or group: their avatar when it is a safe
 * address and loads (blobs are not cached for offline use), else their
 * initial on a colour of their own.
 */
@customElement('person-avatar')
export class PersonAvatar extends LitElement {
  static override styles = css`
    :host {
      --size: 40px;
      flex: none;
      display: inline-grid;
      place-items: center;
      width: var(--size);
      height: var(--size);
      border-radius: 50%;
      overflow: hidden;
      color: #fff;
      font-weight: 700;
      font-size: calc(var(--size) * 0.42);
      line-height: 1;
      user-select: none;
    }
    img {
      width: 100%;
      height: 100%;
      object-fit: cover;
    }
  `;

  @property() name = '';
  /** The picture's address (`/api/blobs/…`); anything unsafe is ignored. */
  @property() src: string | undefined;
  /** What picks the colour (an id); the name when empty. */
  @property() seed = '';
  @property({ type: Number }) size = 40;
  @state() private failed = false;

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('src')) this.failed = false;
    if (changed.has('size')) this.style.setProperty('--size', `${this.size}px`);
    if (changed.has('seed') || changed.has('name')) {
      this.style.background = `hsl(${hueOf(this.seed || this.name)} 55% 45%)`;
    }
  }

  override render() {
    const url = safeAvatarUrl(this.src);
    if (url && !this.failed) {
      return html`<img src=${url} alt="" loading="lazy" decoding="async" @error=${() => (this.failed = true)} />`;
    }
    return html`<span aria-hidden="true">${initialOf(this.name)}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'person-avatar': PersonAvatar;
  }
}
