import { localized, msg, str } from '@lit/localize';
import { plural } from '../i18n/formats.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { consume } from '@lit/context';
import { customElement, property, state } from 'lit/decorators.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { social, type InvitePreview } from '../data/api/social-client.js';
import { OnlineController } from '../controllers/online-controller.js';
import { SessionController } from '../controllers/session-controller.js';
import { failureMessage } from './api-failure.js';
import { cardPanelStyles } from './panel-styles.js';
import { closeSheet, openConversation } from './sheets.js';
import './person-avatar.js';

/** An invite link (`/join/<code>`): which group it leads to, then "Join". */
@customElement('join-view')
@localized()
export class JoinView extends LitElement {
  static override styles = cardPanelStyles;

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @property() code = '';
  @state() private preview: InvitePreview | undefined;
  @state() private error = '';
  @state() private busy = false;
  private readonly network = new OnlineController(this);

  constructor() {
    super();
    new SessionController(this, () => this.session);
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('code')) {
      this.preview = undefined;
      this.error = '';
      void this.load();
    }
  }

  override render() {
    const preview = this.preview;
    const online = this.network.online;
    const mine = preview ? this.session?.conversation(preview.conversationId) : undefined;
    const alreadyIn = Boolean(mine && !mine.ended);
    return html`
      ${
        preview
          ? html`<div class="card" data-testid="join-preview">
            <person-avatar .name=${preview.title} .seed=${preview.conversationId} size="72"></person-avatar>
            <h3 class="card-title" data-testid="join-title">${preview.title}</h3>
            <span class="sub">${plural(preview.memberCount, { one: () => msg('1 member'), other: () => msg(str`${preview.memberCount} members`) })}</span>
          </div>`
          : !this.error
            ? html`<p class="empty">${online ? msg('Looking at the invite…') : msg('You are offline. Joining a group needs the network.')}</p>`
            : nothing
      }
      ${this.error ? html`<p class="error" role="alert" data-testid="join-error">${this.error}</p>` : nothing}
      <div class="stack">
        ${
          preview && alreadyIn
            ? html`<p class="notice">${msg('You are already in this group.')}</p>
              <button type="button" data-testid="join-open" @click=${() => openConversation(this, preview.conversationId)}>${msg('Open it')}</button>`
            : preview
              ? html`<button type="button" data-testid="join-group" ?disabled=${this.busy || !online} @click=${this.join}>
                ${this.busy ? msg('Joining…') : msg('Join the group')}
              </button>`
              : !online || this.error
                ? html`<button type="button" class="secondary" ?disabled=${!online} @click=${this.load}>${msg('Try again')}</button>`
                : nothing
        }
        <button type="button" class="secondary" @click=${() => closeSheet(this)}>${msg('Not now')}</button>
      </div>
    `;
  }

  private readonly load = async () => {
    const code = this.code;
    if (!code || !navigator.onLine) return;
    this.error = '';
    const result = await social.previewInvite(code);
    if (code !== this.code) return;
    if (result.ok) this.preview = result.value;
    else this.error = failureMessage(this, result, msg('Joining a group'));
  };

  private async join() {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    const result = await social.joinInvite(this.code);
    this.busy = false;
    if (!result.ok) {
      this.error = failureMessage(this, result, msg('Joining a group'));
      return;
    }
    openConversation(this, result.value.conversationId);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'join-view': JoinView;
  }
}
