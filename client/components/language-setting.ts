/**
 * "Language" in the profile sheet and under the sign-in card: follow the
 * browser, or always English, or always Simplified Chinese. The choice is
 * kept on this device (client/i18n/locale-choice.ts) and applies at once,
 * without a reload. Each language is named in itself, so a person who cannot
 * read the current one still finds their own.
 */
import { localized, msg } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { type AppLocale, APP_LOCALES, savedLocale } from '../i18n/locale-choice.js';
import { push } from '../data/api/push-client.js';
import { chooseLocale } from '../i18n/localization.js';
import { settingsSectionStyles } from './form-styles.js';

/** Language names written in that language: the same in every locale. */
const OWN_NAMES: Record<AppLocale, string> = { en: 'English', 'zh-CN': '简体中文' };

@customElement('language-setting')
@localized()
export class LanguageSetting extends LitElement {
  static override styles = [
    ...settingsSectionStyles,
    css`
      :host([compact]) {
        margin-top: 16px;
      }
      select {
        font: inherit;
        padding: 6px 8px;
        border-radius: 8px;
        border: 1px solid var(--hc-border, #dde2ea);
        background: var(--hc-surface, #fff);
        color: inherit;
        max-width: 100%;
      }
      label {
        display: block;
        margin-bottom: 6px;
      }
    `,
  ];

  /** Under the sign-in card: a label and the list only, no section heading. */
  @property({ type: Boolean, reflect: true }) compact = false;
  /** Shown to a signed-in person: the server's copies of the language (pushes, the digest mail) follow a change. */
  @property({ type: Boolean }) account = false;
  @state() private choice: AppLocale | undefined = savedLocale(localStorage);

  override render() {
    const select = html`<select id="language" data-testid="language-select" @change=${this.changed}>
      <option value="" ?selected=${!this.choice}>${msg('Same as the browser')}</option>
      ${APP_LOCALES.map(
        (locale) => html`<option value=${locale} lang=${locale} ?selected=${this.choice === locale}>${OWN_NAMES[locale]}</option>`,
      )}
    </select>`;
    if (this.compact) return html`<label for="language">${msg('Language')}</label>${select}`;
    return html`<section aria-labelledby="language-heading">
      <h3 id="language-heading"><label for="language">${msg('Language')}</label></h3>
      ${select}
    </section>`;
  }

  private changed(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.choice = APP_LOCALES.find((locale) => locale === value);
    void chooseLocale(this.choice)
      .then(async () => {
        if (this.account) await push.followLanguage();
      })
      .catch((error: unknown) => console.warn('Telling the server the new language failed', error));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'language-setting': LanguageSetting;
  }
}
