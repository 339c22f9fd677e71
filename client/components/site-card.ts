import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PersonSummary } from '../../shared/schema.js';
import type { SiteView } from '../../shared/widget.js';
import { widgetSnippet } from '../data/api/site-client.js';
import { formStyles } from './form-styles.js';

/** Detail of `site-action`. */
export type SiteActionDetail = { action: 'edit' | 'rotate' | 'delete'; key: string } | { action: 'team'; key: string; userIds: string[] };

/**
 * One site in Settings → Sites: its key, the snippet to paste, the secret
 * right after it was made (shown once), and edit, new secret, delete and
 * teammates. Fires `site-action`; the panel asks the server.
 */
@customElement('site-card')
@localized()
export class SiteCard extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        display: block;
        padding: 14px;
        background: var(--hc-surface, #fff);
        border: 1px solid var(--hc-border, #dde2ea);
        border-radius: var(--hc-radius, 10px);
      }
      h3 {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 0 0 8px;
        font-size: 1rem;
      }
      .swatch {
        width: 14px;
        height: 14px;
        border-radius: 50%;
      }
      dl {
        margin: 0 0 12px;
        font-size: 0.9rem;
      }
      dt {
        font-weight: 600;
        color: var(--hc-muted, #5b6472);
      }
      dd {
        margin: 0 0 6px;
        overflow-wrap: anywhere;
      }
      code,
      textarea.code {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.85rem;
      }
      textarea.code {
        min-height: 0;
        resize: none;
      }
      .secret {
        padding: 10px 12px;
        margin: 0 0 12px;
        background: var(--hc-warn-soft, #fff4d6);
        border-radius: var(--hc-radius, 10px);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
      }
      button.danger {
        color: var(--hc-danger, #c0392b);
        background: var(--hc-surface, #fff);
        border-color: var(--hc-border, #dde2ea);
      }
      details {
        margin: 12px 0 0;
      }
      summary {
        cursor: pointer;
        font-weight: 600;
      }
      .friend {
        display: flex;
        align-items: center;
        gap: 8px;
        min-height: 40px;
        font-weight: normal;
      }
      .friend input {
        width: auto;
        min-height: 0;
      }
    `,
  ];

  @property({ attribute: false }) site: SiteView | undefined;
  /** The secret, when it was just made; the server never shows it again. */
  @property() secret = '';
  @property({ attribute: false }) friends: PersonSummary[] = [];
  @property() chatOrigin = location.origin;
  @state() private copied = false;

  override render() {
    const site = this.site;
    if (!site) return nothing;
    const snippet = widgetSnippet(this.chatOrigin, site.key);
    return html`
      <h3><span class="swatch" style="background:${site.color}"></span><span data-testid="site-title">${site.name}</span></h3>
      ${
        this.secret
          ? html`<div class="secret" data-testid="site-secret-box">
            <strong>${msg('Secret for identity verification')}</strong> ${msg('(shown once; keep it on your server):')}
            <code data-testid="site-secret">${this.secret}</code>
          </div>`
          : nothing
      }
      <dl>
        <dt>${msg('Key')}</dt>
        <dd><code data-testid="site-key">${site.key}</code></dd>
        <dt>${msg('Allowed origins')}</dt>
        <dd data-testid="site-origin-list">${site.origins.join(', ')}</dd>
        <dt>${msg('Greeting')}</dt>
        <dd>${site.greeting || '—'}</dd>
      </dl>
      <label for="snippet">${msg('Paste into your pages')}</label>
      <textarea id="snippet" class="code" rows="3" readonly data-testid="site-snippet" .value=${snippet} @focus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}></textarea>
      <div class="actions" style="margin-top:8px">
        <button type="button" class="secondary" @click=${() => this.copy(snippet)}>${this.copied ? msg('Copied') : msg('Copy snippet')}</button>
        <button type="button" class="secondary" data-testid="site-edit" @click=${() => this.act({ action: 'edit', key: site.key })}>${msg('Edit')}</button>
        <button type="button" class="secondary" data-testid="site-rotate" @click=${this.confirmRotate}>${msg('New secret')}</button>
        <button type="button" class="danger" data-testid="site-delete" @click=${this.confirmDelete}>${msg('Delete')}</button>
      </div>
      <details>
        <summary>${msg(str`Teammates (${site.team.length})`)}</summary>
        <small>${msg("Friends you pick here see this site's visitors and answer them too.")}</small>
        <form data-testid="site-team" @submit=${this.saveTeam}>
          ${this.friends.length === 0 ? html`<small>${msg('No friends yet.')}</small>` : nothing}
          ${this.friends.map(
            (friend) =>
              html`<label class="friend"><input type="checkbox" name="team" value=${friend.id} ?checked=${site.team.includes(friend.id)} />${friend.name}</label>`,
          )}
          <button type="submit" class="secondary" ?disabled=${this.friends.length === 0}>${msg('Save teammates')}</button>
        </form>
      </details>
    `;
  }

  private act(detail: SiteActionDetail): void {
    this.dispatchEvent(new CustomEvent<SiteActionDetail>('site-action', { detail, bubbles: true, composed: true }));
  }

  private async copy(snippet: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(snippet);
      this.copied = true;
      setTimeout(() => (this.copied = false), 2000);
    } catch {
      // No clipboard permission: the field is selectable instead.
      this.renderRoot.querySelector<HTMLTextAreaElement>('#snippet')?.select();
    }
  }

  private confirmRotate(): void {
    const site = this.site;
    if (site && confirm(msg(str`Make a new secret for ${site.name}? Identity hashes made with the old one stop verifying.`)))
      this.act({ action: 'rotate', key: site.key });
  }

  private confirmDelete(): void {
    const site = this.site;
    if (
      site &&
      confirm(msg(str`Delete ${site.name}? The chat disappears from its pages; conversations with its visitors stay in your list.`))
    )
      this.act({ action: 'delete', key: site.key });
  }

  private saveTeam(event: SubmitEvent): void {
    event.preventDefault();
    const site = this.site;
    if (!site) return;
    const userIds = new FormData(event.target as HTMLFormElement).getAll('team').map(String);
    this.act({ action: 'team', key: site.key, userIds });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'site-card': SiteCard;
  }
}
