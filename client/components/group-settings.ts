import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { GROUP_NOTICE_MAX_LENGTH, NAME_MAX_LENGTH } from '../../shared/limits.js';
import { social } from '../data/api/social-client.js';
import { openFileChooser, scaledAvatar, takeChosenFile } from './avatar-choice.js';
import { failureMessage } from './api-failure.js';
import { formStyles } from './form-styles.js';
import { panelStyles } from './panel-styles.js';

/**
 * A group's name, notice and picture, for its owner and admins. Each change
 * becomes a system message in the conversation (written by the server).
 */
@customElement('group-settings')
@localized()
export class GroupSettings extends LitElement {
  static override styles = [
    formStyles,
    panelStyles,
    css`
      :host {
        display: block;
      }
      textarea {
        resize: vertical;
        min-height: 88px;
      }
      .picture {
        display: flex;
        align-items: center;
        gap: 8px;
        margin: 0 0 16px;
      }
      input[type='file'] {
        display: none;
      }
      .save {
        width: 100%;
      }
      .check {
        display: flex;
        align-items: center;
        gap: 8px;
        min-height: 44px;
        margin-top: 12px;
      }
      .check input {
        width: 20px;
        height: 20px;
        margin: 0;
      }
    `,
  ];

  @property() conversationId = '';
  @property() groupTitle = '';
  @property() notice = '';
  @property({ type: Boolean }) online = true;
  /** Only the owner and admins pin messages (the group's setting, from its meta). */
  @property({ type: Boolean }) pinsByAdmins = false;
  @state() private busy = false;
  @state() private error = '';
  @state() private done = '';

  override render() {
    const disabled = this.busy || !this.online;
    return html`<form @submit=${this.save}>
      <div class="field">
        <label for="group-title">${msg('Name')}</label>
        <input id="group-title" name="title" required maxlength=${NAME_MAX_LENGTH} data-testid="group-rename-input" .value=${this.groupTitle} />
      </div>
      <div class="field">
        <label for="notice">${msg('Notice')} <small>${msg('Shown to every member in the group info.')}</small></label>
        <textarea id="notice" name="notice" maxlength=${GROUP_NOTICE_MAX_LENGTH} data-testid="group-notice-input" .value=${this.notice}></textarea>
      </div>
      <div class="picture">
        <button type="button" class="secondary" data-testid="group-picture" ?disabled=${disabled} @click=${this.pickPicture}>
          ${msg('Change the picture')}
        </button>
        <input type="file" accept="image/*" data-testid="group-picture-input" @change=${this.uploadPicture} />
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.done ? html`<p class="notice" role="status">${this.done}</p>` : nothing}
      <button type="submit" class="save" data-testid="group-settings-save" ?disabled=${disabled}>${msg('Save name and notice')}</button>
      <label class="check">
        <input type="checkbox" data-testid="group-pins-by-admins" .checked=${this.pinsByAdmins} ?disabled=${disabled}
          @change=${this.changePinRights} />
        <span>${msg('Only admins can pin messages')}</span>
      </label>
    </form>`;
  }

  /** Applied at once, like a switch; the relay enforces it (shared/pin-rights.ts). */
  private async changePinRights(event: Event) {
    const box = event.target as HTMLInputElement;
    this.busy = true;
    this.error = this.done = '';
    const result = await social.updateGroup(this.conversationId, { pinsByAdmins: box.checked });
    this.busy = false;
    if (!result.ok) {
      box.checked = this.pinsByAdmins;
      this.error = failureMessage(this, result, msg('Changing the group'));
    } else this.done = msg('Saved.');
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const title = String(data.get('title') ?? '').trim();
    const notice = String(data.get('notice') ?? '').trim();
    const change: { title?: string; notice?: string } = {};
    if (title !== this.groupTitle) change.title = title;
    if (notice !== this.notice) change.notice = notice;
    if (Object.keys(change).length === 0) {
      this.done = msg('Nothing changed.');
      return;
    }
    this.busy = true;
    this.error = this.done = '';
    const result = await social.updateGroup(this.conversationId, change);
    this.busy = false;
    if (!result.ok) this.error = failureMessage(this, result, msg('Changing the group'));
    else this.done = msg('Saved.');
  }

  private pickPicture() {
    openFileChooser(this.renderRoot);
  }

  private async uploadPicture(event: Event) {
    const file = takeChosenFile(event);
    if (!file) return;
    this.busy = true;
    this.error = this.done = '';
    const scaled = await scaledAvatar(file);
    if (!scaled.ok) {
      this.busy = false;
      this.error = scaled.message;
      return;
    }
    const result = await social.uploadGroupPicture(this.conversationId, scaled.blob);
    this.busy = false;
    if (!result.ok) this.error = failureMessage(this, result, msg('Changing the picture'));
    else this.done = msg('Picture changed.');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'group-settings': GroupSettings;
  }
}
