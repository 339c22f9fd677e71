/** Styles of `<search-panel>`: the field, then results grouped under conversation names. */
import { css } from 'lit';

export const searchPanelStyles = css`
  :host {
    display: block;
  }
  form {
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding: 8px 12px;
  }
  label {
    font-size: 0.8rem;
    font-weight: 600;
    color: var(--hc-muted, #5b6472);
  }
  input {
    width: 100%;
    box-sizing: border-box;
    min-height: 40px;
    padding: 8px 12px;
    font: inherit;
    border: 1px solid var(--hc-border-strong, #8a94a6);
    border-radius: 8px;
    background: var(--hc-surface, #fff);
    color: inherit;
  }
  input:focus-visible {
    outline: 3px solid var(--hc-accent, #2f6fde);
    outline-offset: 1px;
  }
  .results {
    border-top: 1px solid var(--hc-border, #dde2ea);
  }
  .summary {
    margin: 0;
    padding: 8px 16px;
    font-size: 0.85rem;
    color: var(--hc-muted, #5b6472);
  }
  h3 {
    margin: 0;
    padding: 8px 16px 4px;
    font-size: 0.8rem;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.02em;
    color: var(--hc-muted, #5b6472);
    background: var(--hc-bg, #f3f5f9);
  }
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  button {
    display: flex;
    flex-direction: column;
    gap: 2px;
    width: 100%;
    min-height: 44px;
    padding: 8px 16px;
    font: inherit;
    text-align: left;
    color: inherit;
    background: none;
    border: 0;
    border-bottom: 1px solid var(--hc-border, #dde2ea);
    cursor: pointer;
  }
  button:hover {
    background: var(--hc-bg, #f3f5f9);
  }
  button:focus-visible {
    outline: 3px solid var(--hc-accent, #2f6fde);
    outline-offset: -3px;
  }
  .line {
    display: flex;
    gap: 8px;
    justify-content: space-between;
    font-size: 0.8rem;
    color: var(--hc-muted, #5b6472);
  }
  .author {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  time {
    flex: none;
  }
  .text,
  .title {
    overflow-wrap: anywhere;
  }
  .title {
    font-weight: 600;
  }
  /* The theme's pair (theme-styles.ts): dark text on yellow in light, light text on deep amber in dark. */
  mark {
    padding: 0 1px;
    color: var(--hc-text, #1d2430);
    background: var(--hc-highlight, #ffe58a);
    border-radius: 2px;
  }
  .note {
    font-size: 0.8rem;
    color: var(--hc-muted, #5b6472);
  }
`;
