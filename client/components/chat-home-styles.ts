/** The signed-in screen's layout: header, tabs, the two panes (one at a time on phones). */
import { css } from 'lit';
import { toastStyles } from './form-styles.js';
import { visuallyHidden } from './visually-hidden-styles.js';

export const chatHomeStyles = css`
  :host {
    display: grid;
    grid-template-rows: auto minmax(0, 1fr);
    grid-template-columns: minmax(0, 1fr);
    overflow: hidden;
  }
  .bar {
    display: flex;
    align-items: center;
    gap: 8px;
    min-height: 52px;
    padding: 4px 8px 4px 16px;
    padding-top: max(4px, env(safe-area-inset-top, 0px));
    background: var(--hc-surface, #fff);
    border-bottom: 1px solid var(--hc-border, #dde2ea);
  }
  .brand {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 0;
    font-size: inherit;
    font-weight: 700;
    color: var(--hc-accent, #2f6fde);
  }
  .brand img {
    width: 28px;
    height: 28px;
  }
  .visually-hidden {
    ${visuallyHidden}
  }
  /* Out of sight until a keyboard reaches it: the first stop on the page. */
  .skip {
    position: absolute;
    top: 8px;
    left: 8px;
    z-index: 20;
    padding: 10px 16px;
    color: var(--hc-on-fill, #fff);
    background: var(--hc-accent-dark, #2459b8);
    border-radius: var(--hc-radius, 10px);
    transform: translateY(-200%);
  }
  .skip:focus {
    transform: none;
  }
  .spacer {
    flex: 1;
  }
  sync-status {
    flex: 0 1 auto;
    min-width: 0;
    overflow: hidden;
  }
  .bar button {
    flex: none;
    white-space: nowrap;
  }
  button.me {
    display: flex;
    align-items: center;
    gap: 8px;
    min-width: 0;
    padding: 0 8px;
    color: inherit;
    background: none;
  }
  button.me:hover {
    background: var(--hc-bg, #f3f5f9);
  }
  .me span {
    max-width: 30vw;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
  }
  .panes {
    display: grid;
    grid-template-columns: minmax(260px, 340px) minmax(0, 1fr);
    min-height: 0;
  }
  .list {
    display: flex;
    flex-direction: column;
    min-height: 0;
    background: var(--hc-surface, #fff);
    border-right: 1px solid var(--hc-border, #dde2ea);
  }
  .tabs {
    display: flex;
    align-items: stretch;
    gap: 4px;
    padding: 0 8px;
    border-bottom: 1px solid var(--hc-border, #dde2ea);
  }
  .tablist {
    display: flex;
    align-items: stretch;
    gap: 4px;
  }
  .tabs [role='tab'] {
    flex: none;
    padding: 0 12px;
    color: var(--hc-muted, #5b6472);
    background: none;
    border-radius: 0;
    border-bottom: 3px solid transparent;
  }
  .tabs [role='tab'][aria-selected='true'] {
    /* The small-text accent: the plain one is 4.3:1 on the hover background. */
    color: var(--hc-accent-dark, #2459b8);
    border-bottom-color: currentColor;
  }
  .tabs [role='tab']:hover {
    background: var(--hc-bg, #f3f5f9);
  }
  .badge {
    display: inline-block;
    min-width: 20px;
    margin-left: 4px;
    padding: 1px 6px;
    font-size: 0.75rem;
    color: var(--hc-on-fill, #fff);
    background: var(--hc-danger, #c0392b);
    border-radius: 999px;
  }
  .tabs .new-group {
    margin: 4px 0 4px auto;
    padding: 0 12px;
  }
  conversation-list,
  friends-panel {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
  }
  /* The Chats and Friends panels pass the list's column on to what they hold. */
  [role='tabpanel'] {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
  }
  [role='tabpanel'][hidden],
  /* While the search field holds a query, its results take the list's place. */
  conversation-list[hidden],
  new-conversation-form[hidden] {
    display: none;
  }
  .loading {
    padding: 24px 16px;
    color: var(--hc-muted, #5b6472);
    text-align: center;
  }
  chat-view {
    min-height: 0;
  }
  /* Until its chunk has loaded, the conversation pane is empty (its slotted buttons too). */
  chat-view:not(:defined) > * {
    display: none;
  }
  ${toastStyles}
  chat-view > button {
    flex: none;
    padding: 0 12px;
  }
  @media (max-width: 767px) {
    /* The name stays the page's heading for screen readers; the icon shows it. */
    .brand span {
      ${visuallyHidden}
    }
    .me span {
      max-width: 24vw;
    }
    .bar {
      gap: 6px;
      padding-left: 12px;
    }
    .bar > button.secondary {
      padding: 0 12px;
    }
    .panes {
      grid-template-columns: minmax(0, 1fr);
    }
    .list {
      border-right: 0;
    }
    :host([data-pane='chat']) .list,
    :host([data-pane='list']) chat-view {
      display: none;
    }
    /*
     * An open conversation takes the whole screen, as in mobile chats: the bar
     * goes (Sites and Sign out are in my profile sheet); its heading stays for
     * screen readers.
     */
    :host([data-pane='chat']) {
      grid-template-rows: minmax(0, 1fr);
    }
    :host([data-pane='chat']) .bar {
      ${visuallyHidden}
    }
    :host([data-pane='chat']) .bar > :not(.brand) {
      display: none;
    }
  }
  /* Sites and Sign out at the top of my profile sheet, on phones. */
  .account-actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 8px;
    margin-bottom: 16px;
  }
  @media (max-width: 479px) {
    /* On a phone my picture is the way to my profile; the name stays for screen readers. */
    .me span {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
    }
  }
`;
