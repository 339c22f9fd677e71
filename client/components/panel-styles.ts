/** Styles the friends, groups and profile panels share: sections, rows of people, small action buttons. */
import { css } from 'lit';
import { formStyles } from './form-styles.js';

export const panelStyles = css`
  section {
    margin: 0 0 20px;
  }
  h3 {
    margin: 0 0 8px;
    font-size: 0.8rem;
    font-weight: 700;
    letter-spacing: 0.04em;
    text-transform: uppercase;
    color: var(--hc-muted, #5b6472);
  }
  ul.people {
    list-style: none;
    margin: 0;
    padding: 0;
    background: var(--hc-surface, #fff);
    border: 1px solid var(--hc-border, #dde2ea);
    border-radius: var(--hc-radius, 10px);
  }
  ul.people > li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px 12px;
    min-height: 60px;
    padding: 8px 12px;
    border-bottom: 1px solid var(--hc-border, #dde2ea);
  }
  ul.people > li:last-child {
    border-bottom: 0;
  }
  .who {
    display: flex;
    align-items: center;
    gap: 12px;
    flex: 1;
    min-width: 0;
    min-height: 44px;
    padding: 0;
    font: inherit;
    font-weight: normal;
    text-align: left;
    color: inherit;
    background: none;
    border: 0;
  }
  button.who:hover {
    background: none;
  }
  button.who:hover .name {
    text-decoration: underline;
  }
  .names {
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
  }
  .sub {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-size: 0.85rem;
    color: var(--hc-muted, #5b6472);
  }
  .note {
    flex-basis: 100%;
    margin: 0;
    padding: 6px 10px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    background: var(--hc-bg, #f3f5f9);
    border-radius: var(--hc-radius, 10px);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .actions.full {
    flex-basis: 100%;
    justify-content: flex-end;
  }
  .actions button {
    padding: 0 14px;
  }
  button.danger {
    color: var(--hc-danger, #c0392b);
    background: var(--hc-surface, #fff);
    border-color: var(--hc-border, #dde2ea);
  }
  button.danger:hover {
    background: var(--hc-danger-soft, #fdecea);
  }
  button.danger.solid {
    color: var(--hc-on-fill, #fff);
    background: var(--hc-danger, #c0392b);
  }
  .tag {
    padding: 2px 8px;
    font-size: 0.8rem;
    color: var(--hc-muted, #5b6472);
    background: var(--hc-bg, #f3f5f9);
    border-radius: 999px;
  }
  .confirm {
    flex-basis: 100%;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: 8px;
    margin: 0;
  }
  .confirm span {
    flex: 1 1 160px;
  }
  .empty {
    margin: 0;
    padding: 12px;
    color: var(--hc-muted, #5b6472);
  }
  .row-form {
    display: flex;
    gap: 8px;
  }
  .row-form input,
  .row-form select {
    flex: 1;
    min-width: 0;
  }
  select {
    min-height: var(--hc-touch, 44px);
    padding: 0 8px;
    font: inherit;
    font-size: 16px;
    background: var(--hc-surface, #fff);
    border: 1px solid var(--hc-border, #dde2ea);
    border-radius: var(--hc-radius, 10px);
  }
  .error,
  .notice {
    overflow-wrap: anywhere;
  }
`;

/** The centred card at the top of a group, invite or person panel, and the column of buttons under it. */
export const cardStyles = css`
  .card {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 6px;
    margin: 0 0 20px;
    text-align: center;
  }
  .card h3.card-title {
    margin: 8px 0 0;
    font-size: 1.3rem;
    text-transform: none;
    letter-spacing: 0;
    color: inherit;
    overflow-wrap: anywhere;
  }
  .stack {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
`;

/** Everything a panel led by a card (a group, an invite, a person) is styled with: forms, panel rows, the card, a block host. */
export const cardPanelStyles = [
  formStyles,
  panelStyles,
  cardStyles,
  css`
    :host {
      display: block;
    }
  `,
];

/** A form that picks people (a new group, adding members): forms, panel rows, and each person a checkbox row big enough to tap. */
export const pickPeopleStyles = [
  formStyles,
  panelStyles,
  css`
    :host {
      display: block;
    }
    label.option {
      display: flex;
      align-items: center;
      gap: 12px;
      margin: 0;
      min-height: 56px;
      font-weight: normal;
      cursor: pointer;
    }
    label.option input {
      flex: none;
      width: 22px;
      height: 22px;
      min-height: 22px;
      margin: 0;
    }
  `,
];
