import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { NAME_MAX_LENGTH } from '../../shared/limits.js';
import type { SiteView } from '../../shared/widget.js';
import { parseOrigins, type SiteInput } from '../data/api/site-client.js';
import { formStyles } from './form-styles.js';

/** Detail of `site-save`. */
export type SiteSaveDetail = SiteInput;

/**
 * Creating or editing a site that embeds the chat: name, allowed origins
 * (one per line), greeting, colour, position. Fires `site-save` and
 * `site-cancel`; the panel talks to the server and shows its `error`.
 */
@customElement('site-form')
@localized()
export class SiteForm extends LitElement {
  static override styles = [
    formStyles,
    css`
      .row {
        display: flex;
        gap: 12px;
      }
      .row .field {
        flex: 1;
      }
      input[type='color'] {
        padding: 4px;
      }
      select {
        width: 100%;
        min-height: var(--hc-touch, 44px);
        padding: 0 10px;
        font: inherit;
        border: 1px solid var(--hc-border, #dde2ea);
        border-radius: var(--hc-radius, 10px);
        background: var(--hc-surface, #fff);
      }
      .actions {
        display: flex;
        gap: 8px;
      }
    `,
  ];

  /** The site being edited; none to create one. */
  @property({ attribute: false }) site: SiteView | undefined;
  @property() error = '';
  @property({ type: Boolean }) busy = false;
  @state() private problem = '';

  override render() {
    const site = this.site;
    const error = this.problem || this.error;
    return html`<form data-testid="site-form" @submit=${this.submit}>
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
      <div class="field">
        <label for="name">${msg('Name')}</label>
        <input id="name" name="name" data-testid="site-name" required maxlength=${NAME_MAX_LENGTH} .value=${site?.name ?? ''} />
      </div>
      <div class="field">
        <label for="origins">${msg('Allowed origins')}</label>
        <textarea id="origins" name="origins" data-testid="site-origins" rows="3" placeholder="https://shop.example" .value=${site?.origins.join('\n') ?? ''}></textarea>
        <small>${msg('One per line, as the browser shows it: scheme, host and port, no path. Only these pages can show the chat.')}</small>
      </div>
      <div class="field">
        <label for="greeting">${msg('Greeting')}</label>
        <input id="greeting" name="greeting" data-testid="site-greeting" maxlength="300" .value=${site?.greeting ?? msg('Hi! How can we help?')} />
      </div>
      <div class="row">
        <div class="field">
          <label for="color">${msg('Colour')}</label>
          <input id="color" name="color" type="color" data-testid="site-color" .value=${site?.color ?? '#2f6fde'} />
        </div>
        <div class="field">
          <label for="position">${msg('Position')}</label>
          <select id="position" name="position" data-testid="site-position" .value=${site?.position ?? 'right'}>
            <option value="right">${msg('Bottom right')}</option>
            <option value="left">${msg('Bottom left')}</option>
          </select>
        </div>
      </div>
      <div class="actions">
        <button type="submit" data-testid="site-save" ?disabled=${this.busy}>${site ? msg('Save') : msg('Create site')}</button>
        <button type="button" class="secondary" @click=${this.cancel}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const field = (name: string) => String(data.get(name) ?? '').trim();
    const origins = parseOrigins(field('origins'));
    if (origins.length === 0) {
      this.problem = msg('Add at least one origin, like https://shop.example.');
      return;
    }
    this.problem = '';
    const detail: SiteSaveDetail = {
      name: field('name'),
      origins,
      greeting: field('greeting'),
      color: field('color') || '#2f6fde',
      position: field('position') === 'left' ? 'left' : 'right',
    };
    this.dispatchEvent(new CustomEvent<SiteSaveDetail>('site-save', { detail, bubbles: true, composed: true }));
  }

  private cancel(): void {
    this.dispatchEvent(new CustomEvent('site-cancel', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'site-form': SiteForm;
  }
}
