import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { PersonSummary } from '../../shared/schema.js';
import type { SiteView } from '../../shared/widget.js';
import { sites as siteClient, type SiteClient } from '../data/api/site-client.js';
import { formStyles } from './form-styles.js';
import type { SiteActionDetail } from './site-card.js';
import type { SiteSaveDetail } from './site-form.js';
import './site-card.js';
import './site-form.js';

/**
 * Settings → Sites: the sites that embed my chat widget (docs/EMBEDDING.md).
 * List, create, edit, delete, new secret, teammates. Needs the network;
 * offline it says so.
 */
@customElement('sites-panel')
@localized()
export class SitesPanel extends LitElement {
  static override styles = [
    formStyles,
    css`
      :host {
        display: block;
      }
      .intro {
        margin: 0 0 16px;
        color: var(--hc-muted, #5b6472);
      }
      ul {
        display: grid;
        gap: 12px;
        margin: 0 0 16px;
        padding: 0;
        list-style: none;
      }
    `,
  ];

  client: SiteClient = siteClient;
  @state() private list: SiteView[] | undefined;
  @state() private friends: PersonSummary[] = [];
  /** Secrets just made, by site key: shown once, gone when the panel closes. */
  @state() private secrets = new Map<string, string>();
  /** 'new', a site key being edited, or nothing. */
  @state() private editing: string | undefined;
  @state() private error = '';
  @state() private busy = false;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override render() {
    const list = this.list;
    const editing = this.editing;
    return html`
      <p class="intro">${msg("Put this chat on your own website. Visitors' conversations show up in your chat list.")}</p>
      ${this.error && !editing ? html`<p class="error" role="alert" data-testid="sites-error">${this.error}</p>` : nothing}
      ${list === undefined ? html`<p>${msg('Loading…')}</p>` : nothing}
      ${
        editing === 'new'
          ? html`<site-form .error=${this.error} ?busy=${this.busy} @site-save=${this.create} @site-cancel=${this.stopEditing}></site-form>`
          : html`<button type="button" data-testid="site-new" @click=${() => this.edit('new')}>${msg('New site')}</button>`
      }
      <ul data-testid="site-list">
        ${(list ?? []).map((site) =>
          editing === site.key
            ? html`<li><site-form .site=${site} .error=${this.error} ?busy=${this.busy} @site-save=${this.saveEdit} @site-cancel=${this.stopEditing}></site-form></li>`
            : html`<li><site-card .site=${site} .secret=${this.secrets.get(site.key) ?? ''} .friends=${this.friends} @site-action=${this.act}></site-card></li>`,
        )}
      </ul>
    `;
  }

  private async load(): Promise<void> {
    const [listed, friends] = await Promise.all([this.client.list(), this.client.friends()]);
    if (listed.ok) this.list = listed.value;
    else this.error = listed.error.message;
    if (friends.ok) this.friends = friends.value;
  }

  private edit(key: string): void {
    this.error = '';
    this.editing = key;
  }

  private readonly stopEditing = (): void => {
    this.error = '';
    this.editing = undefined;
  };

  private readonly create = async (event: CustomEvent<SiteSaveDetail>): Promise<void> => {
    await this.run(
      () => this.client.create(event.detail),
      (site) => {
        this.remember(site);
        this.list = [...(this.list ?? []), { ...site, secret: undefined }];
        this.editing = undefined;
      },
    );
  };

  private readonly saveEdit = async (event: CustomEvent<SiteSaveDetail>): Promise<void> => {
    const key = this.editing;
    if (!key) return;
    await this.run(
      () => this.client.update(key, event.detail),
      (site) => {
        this.replace(site);
        this.editing = undefined;
      },
    );
  };

  private readonly act = async (event: CustomEvent<SiteActionDetail>): Promise<void> => {
    const detail = event.detail;
    switch (detail.action) {
      case 'edit':
        return this.edit(detail.key);
      case 'rotate':
        return this.run(
          () => this.client.rotateSecret(detail.key),
          (site) => {
            this.remember(site);
            this.replace(site);
          },
        );
      case 'delete':
        return this.run(
          () => this.client.remove(detail.key),
          () => {
            this.list = (this.list ?? []).filter((site) => site.key !== detail.key);
          },
        );
      case 'team':
        return this.run(
          () => this.client.setTeam(detail.key, detail.userIds),
          (site) => this.replace(site),
        );
    }
  };

  /** One server call: busy while it runs, its message shown when it fails. */
  private async run<T>(
    call: () => Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
    done: (value: T) => void,
  ): Promise<void> {
    this.busy = true;
    this.error = '';
    const result = await call();
    this.busy = false;
    if (result.ok) done(result.value);
    else this.error = result.error.message;
  }

  private remember(site: SiteView): void {
    if (site.secret) this.secrets = new Map(this.secrets).set(site.key, site.secret);
  }

  private replace(site: SiteView): void {
    const { secret: _secret, ...shown } = site;
    this.list = (this.list ?? []).map((entry) => (entry.key === site.key ? shown : entry));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sites-panel': SitesPanel;
  }
}
