/** Styles of `<chat-message-list>`: bubbles, pictures, replies, reactions, actions. */
import { css } from 'lit';
import { pillButton } from './pill-button-styles.js';
import { visuallyHidden } from './visually-hidden-styles.js';

export const messageListStyles = css`
  :host {
    display: block;
    overflow-y: auto;
    overscroll-behavior: contain;
    /* We keep the position ourselves when older messages are added above. */
    overflow-anchor: none;
    padding: 12px 12px 4px;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    /* Close together inside one person's run of messages, apart between runs (.message below). */
    gap: 2px;
    /* The actions beside a bubble size themselves to the room left in the row (cqi). */
    container-type: inline-size;
  }
  .older {
    align-self: center;
    margin: 4px 0 8px;
    min-height: 32px;
    padding: 2px 12px;
    font: inherit;
    font-size: 0.85rem;
    color: var(--hc-accent-dark, #2459b8);
    background: var(--hc-surface, #fff);
    border: 1px solid var(--hc-border, #dde2ea);
    border-radius: 999px;
    cursor: pointer;
  }
  .day {
    align-self: center;
    margin: 10px 0 6px;
    padding: 2px 10px;
    font-size: 0.78rem;
    color: var(--hc-muted, #5b6472);
    background: var(--hc-surface, #fff);
    border-radius: 999px;
  }
  /* Above the first message that was unread when the conversation opened. */
  .unread-divider {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 10px 0 4px;
    font-size: 0.78rem;
    font-weight: 700;
    color: var(--hc-accent-dark, #2459b8);
  }
  .unread-divider::before,
  .unread-divider::after {
    content: '';
    flex: 1;
    border-top: 1px solid currentColor;
    opacity: 0.5;
  }
  .message {
    position: relative;
    /* As wide as its bubble, not the row: the actions go beside it. */
    align-self: flex-start;
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    max-width: min(78%, 560px);
    border-radius: 14px;
    transition: background-color 0.6s;
  }
  .message.mine {
    align-self: flex-end;
    align-items: flex-end;
  }
  .message:not(.run-next) {
    margin-top: 6px;
  }
  .message.flash {
    background: color-mix(in srgb, var(--hc-accent, #2f6fde) 18%, transparent);
  }
  .bubble {
    padding: 6px 10px 4px;
    background: var(--hc-surface, #fff);
    border: 1px solid var(--hc-border, #dde2ea);
    border-radius: 14px 14px 14px 4px;
    min-width: 64px;
    max-width: 100%;
  }
  .mine .bubble {
    background: var(--hc-accent-soft, #e7efff);
    border-color: color-mix(in srgb, var(--hc-accent, #2f6fde) 22%, var(--hc-surface, #fff));
    border-radius: 14px 14px 4px 14px;
  }
  /* Inside a run the bubbles join: the corner towards the one above is tight too. */
  .run-next .bubble {
    border-top-left-radius: 4px;
  }
  .mine.run-next .bubble {
    border-top-left-radius: 14px;
    border-top-right-radius: 4px;
  }
  /* The name opens the person's profile (chat-home listens). */
  .author {
    display: block;
    cursor: pointer;
    font-size: 0.78rem;
    font-weight: 700;
    color: var(--hc-accent-dark, #2459b8);
  }
  /* A forwarded copy says so above its text, in italics like a quoted source. */
  .forwarded {
    display: block;
    font-size: 0.75rem;
    font-style: italic;
    color: var(--hc-muted, #5b6472);
  }
  .pin-mark svg {
    width: 13px;
    height: 13px;
    vertical-align: -2px;
  }
  /* Once per run in groups; on every message for screen readers ("Ann: hello"). */
  .author.unseen {
    ${visuallyHidden}
  }
  .text {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    line-height: 1.4;
  }
  .text.jumbo {
    font-size: 2.4rem;
    line-height: 1.2;
  }
  .text a {
    color: var(--hc-accent-dark, #2459b8);
  }
  .deleted {
    font-style: italic;
    color: var(--hc-muted, #5b6472);
  }
  .quote {
    display: block;
    width: 100%;
    margin: 2px 0 4px;
    padding: 2px 8px;
    font: inherit;
    font-size: 0.85rem;
    text-align: left;
    color: inherit;
    background: color-mix(in srgb, var(--hc-accent, #2f6fde) 8%, transparent);
    border: 0;
    border-left: 3px solid var(--hc-accent, #2f6fde);
    border-radius: 4px;
    cursor: pointer;
  }
  .quote strong {
    display: block;
    font-size: 0.78rem;
    color: var(--hc-accent-dark, #2459b8);
  }
  .quote span {
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
    overflow-wrap: anywhere;
  }
  .picture {
    display: block;
    padding: 0;
    margin: 2px 0 4px;
    border: 0;
    background: none;
    cursor: zoom-in;
  }
  .picture img {
    display: block;
    max-width: 100%;
    height: auto;
    border-radius: 10px;
    background: var(--hc-bg, #f3f5f9);
    object-fit: cover;
  }
  progress {
    display: block;
    width: 100%;
    height: 6px;
    margin: 2px 0;
  }
  .meta {
    display: flex;
    justify-content: flex-end;
    align-items: center;
    gap: 4px;
    font-size: 0.72rem;
    color: var(--hc-muted, #5b6472);
  }
  .receipt {
    font-weight: 600;
    /* The accent itself is 4.2:1 on my bubble's tint; small text needs 4.5:1. */
    color: var(--hc-accent-dark, #2459b8);
  }
  .state svg {
    display: block;
    width: 14px;
    height: 14px;
  }
  [data-state='delivered'] .state {
    color: var(--hc-accent, #2f6fde);
  }
  [data-state='failed'] .state {
    color: var(--hc-danger, #c0392b);
  }
  .mine[data-state='failed'] .bubble {
    background: var(--hc-danger-soft, #fdecea);
    border-color: color-mix(in srgb, var(--hc-danger, #c0392b) 30%, var(--hc-surface, #fff));
  }
  .failure {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: 2px 8px;
    margin: 2px 0 4px;
    font-size: 0.8rem;
    color: var(--hc-danger, #c0392b);
  }
  .failure button {
    ${pillButton}
  }
  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin: 2px 0;
  }
  .reaction {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-height: 28px;
    padding: 0 8px;
    font: inherit;
    font-size: 0.85rem;
    background: var(--hc-surface, #fff);
    border: 1px solid var(--hc-border, #dde2ea);
    border-radius: 999px;
    cursor: pointer;
    -webkit-user-select: none;
    user-select: none;
  }
  .reaction[aria-pressed='true'] {
    background: var(--hc-accent-soft, #e7efff);
    border-color: var(--hc-accent, #2f6fde);
  }
  .who {
    font-size: 0.78rem;
    color: var(--hc-muted, #5b6472);
  }
  /*
   * A mouse passing by: beside the bubble, in its row's empty side, so they
   * move nothing and cover no other message (over the top corner they hid
   * the time of the message above). Never wider than the room left.
   */
  .actions {
    position: absolute;
    z-index: 2;
    top: 0;
    left: calc(100% + 4px);
    width: max-content;
    max-width: calc(100cqi - 100% - 8px);
    opacity: 0;
    pointer-events: none;
    transition: opacity 0.15s;
  }
  .mine .actions {
    left: auto;
    right: calc(100% + 4px);
  }
  /* Chosen (a tap, a menu open, the keyboard): under the bubble, taking room in the list. */
  .message.selected .actions,
  .message:focus-visible .actions,
  .message:has(:focus-visible) .actions {
    position: static;
    /* Wider than a short bubble, never wider than the list: it wraps there (at 360 px Reply went off screen). */
    max-width: 100cqi;
    margin-top: 2px;
  }
  /*
   * Where the row beside a bubble is too narrow for the actions (a phone, a
   * narrow widget), a pointer passing by opens them under the bubble too: two
   * wrapped lines beside it covered the next message.
   */
  @container (max-width: 599px) {
    .message:hover .actions {
      position: static;
      max-width: 100cqi;
      margin-top: 2px;
    }
  }
  .message:focus-visible {
    outline: 3px solid var(--hc-accent, #2f6fde);
    outline-offset: 2px;
  }
  .message:focus:not(:focus-visible) {
    outline: none;
  }
  .message:hover .actions,
  .message:focus-within .actions,
  .message.selected .actions {
    opacity: 1;
    pointer-events: auto;
  }
  .system {
    align-self: center;
    max-width: 90%;
    font-size: 0.85rem;
    color: var(--hc-muted, #5b6472);
    text-align: center;
  }
  /* Heard, not seen: the log of incoming messages for screen readers. */
  .announcer {
    ${visuallyHidden}
  }
  @media (prefers-reduced-motion: reduce) {
    .message,
    .actions {
      transition: none;
    }
  }
  .empty {
    margin: 32px 0;
    text-align: center;
    color: var(--hc-muted, #5b6472);
  }
  button:focus-visible {
    outline: 3px solid var(--hc-accent, #2f6fde);
    outline-offset: 1px;
  }
  @media (hover: none) {
    /* On touch screens the actions appear when a message is tapped or long-pressed. */
    .message:hover .actions {
      opacity: 0;
      pointer-events: none;
    }
    /* A tap leaves :hover behind: hidden actions take no room under the bubble. */
    .message:hover:not(.selected):not(:focus-within) .actions {
      position: absolute;
    }
    .message.selected .actions,
    .message:focus-within .actions {
      opacity: 1;
      pointer-events: auto;
    }
  }
`;
