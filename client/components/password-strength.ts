/**
 * `<password-strength>`: how easy the password being typed is to guess and
 * why, judged by the same rule the server enforces (shared/password-strength.ts).
 * The judge and its dictionaries (hundreds of KB) load on the first keystroke,
 * never with the app shell; until then the hint names the minimum length.
 */
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { PASSWORD_MIN_LENGTH } from '../../shared/limits.js';
import type { PasswordVerdict } from '../../shared/password-strength.js';
import { lazy } from './lazy.js';

const loadJudge = lazy(() => import('../../shared/password-strength.js'));

const strengthWords = () => [msg('Very weak'), msg('Weak'), msg('Fair'), msg('Strong'), msg('Very strong')];

@customElement('password-strength')
@localized()
export class PasswordStrength extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: 0.85rem;
      color: var(--hc-muted, #5b6472);
    }
    .bar {
      display: grid;
      grid-template-columns: repeat(5, 1fr);
      gap: 4px;
      margin: 6px 0 4px;
    }
    .bar span {
      height: 4px;
      border-radius: 2px;
      background: var(--hc-border, #dde2ea);
    }
    .bar[data-acceptable='false'] span.on {
      background: var(--hc-danger, #c0392b);
    }
    .bar[data-acceptable='true'] span.on {
      background: var(--hc-success, #1e8e3e);
    }
    p {
      margin: 0;
    }
    .why {
      color: var(--hc-danger, #c0392b);
    }
  `;

  /** The password as typed. */
  @property() password = '';
  /** The person's own words (name, email): a password made of them is easy to guess. */
  @property({ attribute: false }) personal: readonly string[] = [];

  @state() private verdict: PasswordVerdict | undefined;

  override willUpdate(changed: Map<PropertyKey, unknown>) {
    if (changed.has('password') || changed.has('personal')) void this.judge(this.password, this.personal);
  }

  private async judge(password: string, personal: readonly string[]) {
    if (password === '') {
      this.verdict = undefined;
      return;
    }
    try {
      const { judgePassword } = await loadJudge();
      // A slower, older judgement never replaces a newer one.
      if (password !== this.password) return;
      this.verdict = judgePassword(password, personal);
    } catch {
      // Offline before the judge was cached: the length hint stays, and the server still judges.
      this.verdict = undefined;
    }
  }

  override render() {
    const verdict = this.password === '' ? undefined : this.verdict;
    if (!verdict)
      return html`<p data-testid="password-strength" data-state="unknown">${msg(str`At least ${PASSWORD_MIN_LENGTH} characters; a few uncommon words are best.`)}</p>`;
    const state = verdict.acceptable ? 'strong' : 'weak';
    return html`
      <div class="bar" data-acceptable=${String(verdict.acceptable)} aria-hidden="true">
        ${strengthWords().map((_, index) => html`<span class=${index <= verdict.score ? 'on' : ''}></span>`)}
      </div>
      <div data-testid="password-strength" data-state=${state} aria-live="polite">
        <p>${verdict.acceptable ? (strengthWords()[verdict.score] ?? '') : msg(str`${strengthWords()[verdict.score] ?? ''}: too easy to guess.`)}</p>
        ${verdict.warning ? html`<p class="why">${verdict.warning}</p>` : null}
        ${verdict.suggestions.map((suggestion) => html`<p>${suggestion}</p>`)}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'password-strength': PasswordStrength;
  }
}
