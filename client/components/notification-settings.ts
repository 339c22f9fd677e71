import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { PushSettingsChange } from '../../shared/push-api.js';
import { DIGEST_AFTER_CHOICES } from '../../shared/push-settings.js';
import { push, type DeviceState } from '../data/api/push-client.js';
import { currentDeviceFacts, pushUnsupportedNote } from '../data/device/push-availability.js';
import { settingsSectionStyles } from './form-styles.js';

const DIGEST_LABELS = (): Record<(typeof DIGEST_AFTER_CHOICES)[number], string> => ({
  60: msg('After 1 hour'),
  480: msg('After 8 hours'),
  1440: msg('After a day'),
});

/** Without the Push API the note depends on the device (push-availability.ts): iPhone and iPad need the app installed. */
const DEVICE_NOTES = (): Record<Exclude<DeviceState, 'unsupported'>, string> => ({
  blocked: msg('Notifications are blocked for this site in the browser settings.'),
  off: msg('Get a notification when a message arrives and the app is closed.'),
  on: msg('This device gets a notification when a message arrives and you are not looking at that conversation.'),
});

/**
 * Notification settings: "Notifications on this device" (asks the browser's
 * permission and subscribes only when switched on, a gesture) and "Show
 * message content" (all my devices: off shows "New message" only), and
 * "Email me what I missed" (the mail digest of what stayed unread).
 */
@customElement('notification-settings')
@localized()
export class NotificationSettings extends LitElement {
  static override styles = [
    ...settingsSectionStyles,
    css`
      .row {
        display: flex;
        align-items: flex-start;
        gap: 12px;
        padding: 10px 0;
        border-top: 1px solid var(--hc-border, #dde2ea);
      }
      .row input {
        width: 22px;
        height: 22px;
        min-height: 0;
        margin: 2px 0 0;
        flex: none;
        accent-color: var(--hc-accent, #2f6fde);
      }
      .row label {
        margin: 0;
        cursor: pointer;
      }
      .note {
        display: block;
        font-weight: 400;
        font-size: 0.85rem;
        color: var(--hc-muted, #5b6472);
        margin-top: 2px;
      }
      .digest {
        padding: 10px 0;
        border-top: 1px solid var(--hc-border, #dde2ea);
      }
      select {
        display: block;
        width: 100%;
        min-height: var(--hc-touch, 44px);
        margin-top: 6px;
        padding: 0 10px;
        font: inherit;
        color: var(--hc-text, #1d2430);
        background: var(--hc-surface, #fff);
        border: 1px solid var(--hc-border, #dde2ea);
        border-radius: var(--hc-radius, 10px);
      }
      .error {
        color: var(--hc-danger, #b3261e);
        font-size: 0.9rem;
      }
    `,
  ];

  @state() private device: DeviceState | undefined;
  @state() private showContent: boolean | undefined;
  /** Minutes, null for no mail; undefined until loaded. */
  @state() private digestAfter: number | null | undefined;
  @state() private busy = false;
  @state() private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override render() {
    return html`<section aria-labelledby="notifications-heading" data-testid="notification-settings">
      <h3 id="notifications-heading">${msg('Notifications')}</h3>
      <div class="row">
        <input id="device" type="checkbox" data-testid="push-device-toggle" .checked=${this.device === 'on'}
          ?disabled=${this.busy || this.device === undefined || this.device === 'unsupported' || this.device === 'blocked'}
          @change=${this.toggleDevice} />
        <label for="device">${msg('Notifications on this device')}
          <span class="note" data-testid="push-device-note">${this.deviceNote()}</span></label>
      </div>
      <div class="row">
        <input id="content" type="checkbox" data-testid="push-content-toggle" .checked=${this.showContent ?? true}
          ?disabled=${this.busy || this.showContent === undefined} @change=${this.toggleContent} />
        <label for="content">${msg('Show message content')}
          <span class="note">${msg('Off: notifications say only "New message", not who wrote or what.')}</span></label>
      </div>
      <div class="digest">
        <label for="digest">${msg('Email me what I missed')}
          <span class="note">${msg('A list of the conversations with messages still unread after this long (never their text).')}</span></label>
        <select id="digest" data-testid="push-digest-select" ?disabled=${this.busy || this.digestAfter === undefined} @change=${this.changeDigest}>
          <option value="" ?selected=${this.digestAfter === null}>${msg('Never')}</option>
          ${DIGEST_AFTER_CHOICES.map(
            (minutes) => html`<option value=${minutes} ?selected=${this.digestAfter === minutes}>${DIGEST_LABELS()[minutes]}</option>`,
          )}
        </select>
      </div>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
    </section>`;
  }

  private deviceNote(): string {
    if (!this.device) return msg('Checking…');
    return this.device === 'unsupported' ? pushUnsupportedNote(currentDeviceFacts()) : DEVICE_NOTES()[this.device];
  }

  private async load(): Promise<void> {
    const [device, settings] = await Promise.all([push.deviceState(), push.settings()]);
    this.device = device;
    if (settings.ok) {
      this.showContent = settings.value.showContent;
      this.digestAfter = settings.value.digestAfterMinutes;
    }
  }

  private async toggleDevice(event: Event): Promise<void> {
    const on = (event.target as HTMLInputElement).checked;
    this.busy = true;
    this.error = '';
    const result = on ? await push.enableDevice() : await push.disableDevice();
    this.busy = false;
    this.device = result.state;
    if (result.error) this.error = result.error;
  }

  private toggleContent(event: Event): Promise<void> {
    return this.change({ showContent: (event.target as HTMLInputElement).checked });
  }

  private changeDigest(event: Event): Promise<void> {
    const value = (event.target as HTMLSelectElement).value;
    return this.change({ digestAfterMinutes: value === '' ? null : Number(value) });
  }

  private async change(change: PushSettingsChange): Promise<void> {
    this.busy = true;
    const result = await push.changeSettings(change);
    this.busy = false;
    if (result.ok) {
      this.showContent = result.value.showContent;
      this.digestAfter = result.value.digestAfterMinutes;
      this.error = '';
    } else {
      this.error = result.error.message;
      this.requestUpdate();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'notification-settings': NotificationSettings;
  }
}
