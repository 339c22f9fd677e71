/** Styles shared by the app's forms and buttons (plain CSS, no framework). */
import { css } from 'lit';

export const formStyles = css`
  * {
    box-sizing: border-box;
  }
  label {
    display: block;
    font-size: 0.9rem;
    font-weight: 600;
    margin: 0 0 6px;
  }
  input,
  textarea {
    display: block;
    width: 100%;
    min-height: var(--hc-touch, 44px);
    padding: 10px 12px;
    font: inherit;
    font-size: 16px; /* 16px keeps phones from zooming into the field */
    color: var(--hc-text, #1d2430);
    background: var(--hc-surface, #fff);
    border: 1px solid var(--hc-border, #dde2ea);
    border-radius: var(--hc-radius, 10px);
  }
  input:focus-visible,
  textarea:focus-visible,
  button:focus-visible,
  a:focus-visible {
    outline: 3px solid var(--hc-accent, #2f6fde);
    outline-offset: 1px;
  }
  button {
    min-height: var(--hc-touch, 44px);
    min-width: var(--hc-touch, 44px);
    padding: 0 18px;
    font: inherit;
    font-weight: 600;
    border-radius: var(--hc-radius, 10px);
    border: 1px solid transparent;
    cursor: pointer;
    color: var(--hc-on-fill, #fff);
    background: var(--hc-accent, #2f6fde);
  }
  button:hover {
    background: var(--hc-accent-dark, #2459b8);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  button.secondary {
    color: var(--hc-accent, #2f6fde);
    background: var(--hc-surface, #fff);
    border-color: var(--hc-border, #dde2ea);
  }
  button.secondary:hover {
    /* The accent is 4.1:1 on this background; its darker shade stays above 4.5:1 in both themes. */
    color: var(--hc-accent-dark, #2459b8);
    background: var(--hc-accent-soft, #e7efff);
  }
  button.link {
    color: var(--hc-accent, #2f6fde);
    background: none;
    padding: 0 6px;
    font-weight: 600;
  }
  button.link:hover {
    text-decoration: underline;
  }
  .field {
    margin: 0 0 16px;
  }
  small {
    display: block;
    margin: 6px 0 0;
    font-size: 0.85rem;
    color: var(--hc-muted, #5b6472);
  }
  .error {
    margin: 0 0 16px;
    padding: 10px 12px;
    color: var(--hc-danger, #c0392b);
    background: var(--hc-danger-soft, #fdecea);
    border-radius: var(--hc-radius, 10px);
  }
  .notice {
    margin: 0 0 16px;
    padding: 10px 12px;
    background: var(--hc-accent-soft, #e7efff);
    border-radius: var(--hc-radius, 10px);
    /* An email address in a Chinese sentence has no break: it ran out of the box at 360 px. */
    overflow-wrap: anywhere;
  }
`;

/** The centred card the sign-in, sign-up and activation screens share. */
export const cardStyles = css`
  :host {
    display: flex;
    justify-content: center;
    align-items: flex-start;
    min-height: 100%;
    padding: max(24px, 6vh) 16px 24px;
  }
  .card {
    width: 100%;
    max-width: 400px;
    padding: 28px 24px;
    background: var(--hc-surface, #fff);
    border: 1px solid var(--hc-border, #dde2ea);
    border-radius: 16px;
    box-shadow: 0 6px 24px rgb(20 30 50 / 6%);
  }
  h1 {
    margin: 0 0 6px;
    font-size: 1.5rem;
  }
  .lead {
    margin: 0 0 22px;
    color: var(--hc-muted, #5b6472);
  }
  .brand {
    display: flex;
    align-items: center;
    gap: 10px;
    margin: 0 0 18px;
    color: var(--hc-accent, #2f6fde);
    font-weight: 700;
  }
  .brand img {
    width: 32px;
    height: 32px;
  }
  button[type='submit'] {
    width: 100%;
  }
  .switch {
    margin: 18px 0 0;
    text-align: center;
    color: var(--hc-muted, #5b6472);
  }
`;

/** A section of the settings sheet under the profile form (notifications, storage): apart from the form, with a small heading. */
export const settingsSectionStyles = [
  formStyles,
  css`
    :host {
      display: block;
      /* Apart from the profile form above it: these sections save at once, without its Save button. */
      margin-top: 28px;
    }
    h3 {
      font-size: 1rem;
      margin: 0 0 8px;
    }
  `,
];

/** A settings section that is one group of radio buttons (theme, last seen): a bare fieldset, its legend as the heading, the choices side by side. */
export const radioGroupSectionStyles = [
  ...settingsSectionStyles,
  css`
    fieldset {
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      margin: 0;
      padding: 0;
      border: 0;
    }
    legend {
      padding: 0;
      margin: 0 0 8px;
      font-size: 1rem;
      font-weight: 700;
    }
    label {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      min-height: var(--hc-touch, 44px);
      cursor: pointer;
    }
    input {
      width: 20px;
      height: 20px;
      margin: 0;
      accent-color: var(--hc-accent, #2f6fde);
    }
  `,
];

/** A small request for a mail under the sign-in card (password reset, activation again): its answer, and "sent" in green. */
export const mailRequestStyles = [
  formStyles,
  css`
    p {
      margin: 10px 0 0;
    }
    .sent {
      color: var(--hc-ok, #1e8e4f);
    }
  `,
];

/** A short notice (`<p class="toast error">`) floating at the bottom of the screen above everything, until clicked away. */
export const toastStyles = css`
  .toast {
    position: fixed;
    left: 50%;
    bottom: 16px;
    transform: translateX(-50%);
    z-index: 7;
    max-width: calc(100vw - 24px);
    margin: 0;
  }
`;
