/** Styles of `<chat-view>`: header, typing line, notices, the drop zone. */
import { css } from 'lit';

export const chatViewStyles = css`
  :host {
    position: relative;
    display: flex;
    flex-direction: column;
    min-height: 0;
    min-width: 0;
    background: var(--hc-bg, #f3f5f9);
  }
  header {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 56px;
    padding: 6px 12px;
    /* On a phone this is the top of the screen (the app's bar is hidden while a conversation is open). */
    padding-top: max(6px, env(safe-area-inset-top, 0px));
    background: var(--hc-surface, #fff);
    border-bottom: 1px solid var(--hc-border, #dde2ea);
  }
  header .title {
    flex: 1;
    min-width: 0;
  }
  header h2 {
    min-width: 0;
    margin: 0;
    font-size: 1.05rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  /* Under the name, as chat apps show it: quiet, one line. */
  .presence {
    margin: 0;
    font-size: 0.8rem;
    line-height: 1.2;
    color: var(--hc-muted, #5b6473);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .presence[data-online] {
    color: var(--hc-ok, #1a7f37);
  }
  .back {
    padding: 0;
    font-size: 1.4rem;
    line-height: 1;
  }
  chat-message-list {
    flex: 1;
    min-height: 0;
  }
  .search-toggle {
    display: inline-flex;
    align-items: center;
    padding: 0 8px;
  }
  /* A desktop: the actions in the row, no "More". */
  .more,
  .actions {
    display: contents;
  }
  .more-toggle {
    display: none;
  }
  .bell {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 0 10px;
    font-size: 0.85rem;
  }
  /*
   * A phone's header, as in mobile chats: back, picture, the name, search and
   * "More", which opens the rarer actions as a menu under it with their words.
   */
  @media (max-width: 480px) {
    header {
      gap: 6px;
      padding-left: 4px;
      padding-right: 6px;
    }
    .back {
      min-width: 36px;
    }
    .more {
      display: block;
      position: relative;
    }
    .more-toggle,
    .search-toggle {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      min-width: 40px;
      padding: 0 8px;
    }
    .actions {
      display: none;
    }
    .actions[data-open] {
      position: absolute;
      top: calc(100% + 6px);
      right: 0;
      z-index: 9;
      display: flex;
      flex-direction: column;
      align-items: stretch;
      gap: 4px;
      min-width: 220px;
      padding: 6px;
      background: var(--hc-surface, #fff);
      border: 1px solid var(--hc-border, #dde2ea);
      border-radius: 12px;
      box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
    }
    /* One size for the menu's rows (mute-button's own is 0.85rem). */
    .actions ::slotted(*),
    .actions > * {
      justify-content: flex-start;
      min-height: 40px;
      font-size: 0.85rem;
      text-align: start;
    }
  }
  /* The search inside a conversation: its results scroll under the field, the messages keep the rest. */
  search-panel.in-chat {
    flex: none;
    max-height: 55%;
    overflow-y: auto;
    background: var(--hc-surface, #fff);
    border-bottom: 1px solid var(--hc-border, #dde2ea);
  }
  .typing {
    min-height: 1.3em;
    margin: 0;
    padding: 2px 16px;
    font-size: 0.8rem;
    font-style: italic;
    color: var(--hc-muted, #5b6472);
  }
  .notice,
  .error {
    margin: 12px;
  }
  .recovery {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
  }
  .placeholder {
    flex: 1;
    display: grid;
    place-items: center;
    color: var(--hc-muted, #5b6472);
    padding: 24px;
    text-align: center;
  }
  .drop {
    position: absolute;
    inset: 8px;
    z-index: 8;
    display: grid;
    place-items: center;
    font-weight: 700;
    color: var(--hc-accent-dark, #2459b8);
    background: color-mix(in srgb, var(--hc-accent-soft, #e7efff) 85%, transparent);
    border: 3px dashed var(--hc-accent, #2f6fde);
    border-radius: 16px;
    pointer-events: none;
  }
  @media (min-width: 768px) {
    .back {
      display: none;
    }
  }
`;
