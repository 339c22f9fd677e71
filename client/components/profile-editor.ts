import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { consume } from '@lit/context';
import { customElement, state } from 'lit/decorators.js';
import { BIO_MAX_LENGTH, LOCATION_MAX_LENGTH, NAME_MAX_LENGTH } from '../../shared/limits.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { social, type ProfileChange } from '../data/api/social-client.js';
import { OnlineController } from '../controllers/online-controller.js';
import { PeopleController } from '../controllers/people-controller.js';
import { openFileChooser, scaledAvatar, takeChosenFile } from './avatar-choice.js';
import { failureMessage, offlineNotice } from './api-failure.js';
import { formStyles } from './form-styles.js';
import { panelStyles } from './panel-styles.js';
import './account-settings.js';
import './language-setting.js';
import './notification-settings.js';
import './last-seen-setting.js';
import './storage-settings.js';
import './theme-setting.js';
import './person-avatar.js';

/**
 * My profile: display name, picture, bio and location. The current values
 * come from my `user/<id>` document; a picked picture is scaled down to
 * AVATAR_MAX_SIDE in the browser and uploaded on Save. The server then
 * writes the change to every conversation I am in and to my friends' lists.
 */
@customElement('profile-editor')
@localized()
export class ProfileEditor extends LitElement {
  static override styles = [
    formStyles,
    panelStyles,
    css`
      :host {
        display: block;
      }
      .picture {
        display: flex;
        align-items: center;
        gap: 16px;
        margin: 0 0 20px;
      }
      .picture img {
        width: 88px;
        height: 88px;
        border-radius: 50%;
        object-fit: cover;
      }
      input[type='file'] {
        display: none;
      }
      textarea {
        resize: vertical;
        min-height: 88px;
      }
      .email {
        margin: 0 0 16px;
        color: var(--hc-muted, #5b6472);
        overflow-wrap: anywhere;
      }
      .save {
        width: 100%;
      }
    `,
  ];

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  /** The scaled picture waiting for Save, and its preview address. */
  @state() private picked: { blob: Blob; url: string } | undefined;
  @state() private busy = false;
  @state() private error = '';
  @state() private done = '';
  private readonly people = new PeopleController(this, () => this.session);
  private readonly network = new OnlineController(this);

  override disconnectedCallback() {
    if (this.picked) URL.revokeObjectURL(this.picked.url);
    super.disconnectedCallback();
  }

  override render() {
    const profile = this.people.snapshot.profile;
    const me = this.session?.me;
    const name = profile.name ?? me?.name ?? '';
    const online = this.network.online;
    const disabled = this.busy || !online;
    return html`<form @submit=${this.save} novalidate>
      ${online ? nothing : html`<p class="notice" role="status">${offlineNotice(msg('Changing your profile'))}</p>`}
      <div class="picture">
        ${
          this.picked
            ? html`<img src=${this.picked.url} alt=${msg('Your new picture')} />`
            : html`<person-avatar .name=${name} .src=${profile.avatar} .seed=${me?.id ?? ''} size="88"></person-avatar>`
        }
        <button type="button" class="secondary" data-testid="profile-picture" ?disabled=${disabled} @click=${this.pickPicture}>
          ${msg('Choose a picture')}
        </button>
        <input type="file" accept="image/*" data-testid="profile-picture-input" @change=${this.picturePicked} />
      </div>
      <p class="email">${msg(str`Signed in as ${profile.email ?? me?.email ?? ''}`)}</p>
      <div class="field">
        <label for="name">${msg('Display name')}</label>
        <input id="name" name="name" required maxlength=${NAME_MAX_LENGTH} autocomplete="nickname" data-testid="profile-name" .value=${name} />
      </div>
      <div class="field">
        <label for="bio">${msg('About you')}</label>
        <textarea id="bio" name="bio" maxlength=${BIO_MAX_LENGTH} data-testid="profile-bio" .value=${profile.bio ?? ''}></textarea>
      </div>
      <div class="field">
        <label for="location">${msg('Location')}</label>
        <input id="location" name="location" maxlength=${LOCATION_MAX_LENGTH} data-testid="profile-location" .value=${profile.location ?? ''} />
      </div>
      ${this.error ? html`<p class="error" role="alert" data-testid="form-error">${this.error}</p>` : nothing}
      ${this.done ? html`<p class="notice" role="status" data-testid="profile-saved">${this.done}</p>` : nothing}
      <button type="submit" class="save" data-testid="profile-save" ?disabled=${disabled}>${this.busy ? msg('Saving…') : msg('Save')}</button>
    </form>
    <account-settings></account-settings>
    <notification-settings></notification-settings>
    <last-seen-setting></last-seen-setting>
    <theme-setting></theme-setting>
    <language-setting account></language-setting>
    <storage-settings></storage-settings>`;
  }

  private pickPicture() {
    openFileChooser(this.renderRoot);
  }

  private async picturePicked(event: Event) {
    const file = takeChosenFile(event);
    if (!file) return;
    this.error = this.done = '';
    const scaled = await scaledAvatar(file);
    if (!scaled.ok) {
      this.error = scaled.message;
      return;
    }
    if (this.picked) URL.revokeObjectURL(this.picked.url);
    this.picked = { blob: scaled.blob, url: URL.createObjectURL(scaled.blob) };
  }

  private async save(event: SubmitEvent) {
    event.preventDefault();
    if (this.busy) return;
    const data = new FormData(event.target as HTMLFormElement);
    const profile = this.people.snapshot.profile;
    const wanted: ProfileChange = {
      name: String(data.get('name') ?? '').trim(),
      bio: String(data.get('bio') ?? '').trim(),
      location: String(data.get('location') ?? '').trim(),
    };
    if (!wanted.name) {
      this.error = msg('Please enter your name.');
      return;
    }
    const change: ProfileChange = {};
    if (wanted.name !== (profile.name ?? this.session?.me.name)) change.name = wanted.name;
    if (wanted.bio !== (profile.bio ?? '')) change.bio = wanted.bio;
    if (wanted.location !== (profile.location ?? '')) change.location = wanted.location;
    this.busy = true;
    this.error = this.done = '';
    if (this.picked) {
      const uploaded = await social.uploadAvatar(this.picked.blob);
      if (!uploaded.ok) {
        this.busy = false;
        this.error = failureMessage(this, uploaded, msg('Changing your picture'));
        return;
      }
      URL.revokeObjectURL(this.picked.url);
      this.picked = undefined;
    }
    if (Object.keys(change).length > 0) {
      const result = await social.updateProfile(change);
      if (!result.ok) {
        this.busy = false;
        this.error = failureMessage(this, result, msg('Changing your profile'));
        return;
      }
    }
    this.busy = false;
    this.done = 'Saved. Everyone who sees you gets the change, also offline.';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'profile-editor': ProfileEditor;
  }
}
