/**
 * "Appearance" in the profile sheet: follow the system's light or dark
 * setting, or always light, or always dark. The choice is kept on this device
 * (data/device/theme-choice.ts) and applies at once.
 */
import { localized, msg } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { type ThemeChoice, THEME_CHOICES, saveTheme, savedTheme } from '../data/device/theme-choice.js';
import { radioGroupSectionStyles } from './form-styles.js';
import { applyTheme } from './theme-styles.js';

const LABELS = (): Record<ThemeChoice, string> => ({
  system: msg('Same as the system'),
  light: msg('Light'),
  dark: msg('Dark'),
});

@customElement('theme-setting')
@localized()
export class ThemeSetting extends LitElement {
  static override styles = radioGroupSectionStyles;

  @state() private choice: ThemeChoice = savedTheme(localStorage);

  override render() {
    const labels = LABELS();
    return html`<fieldset data-testid="theme-setting">
      <legend>${msg('Appearance')}</legend>
      ${THEME_CHOICES.map(
        (choice) => html`<label>
          <input type="radio" name="theme" value=${choice} data-testid=${`theme-${choice}`} .checked=${this.choice === choice}
            @change=${() => this.choose(choice)} />
          ${labels[choice]}
        </label>`,
      )}
    </fieldset>`;
  }

  private choose(choice: ThemeChoice): void {
    this.choice = choice;
    saveTheme(localStorage, choice);
    applyTheme(choice);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'theme-setting': ThemeSetting;
  }
}
