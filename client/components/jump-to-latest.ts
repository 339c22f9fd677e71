/**
 * The jump-to-latest button (issue 15): a round arrow over the bottom of a
 * scrolled message list while its newest message is out of view, with how
 * many unread messages are below. One look and one set of words for the
 * app's list (chat-message-list.ts) and the widget's (client/embed/).
 * The list renders `renderJumpToLatest()` as the last child of its scrolling
 * element and adds `jumpToLatestStyles` to its styles.
 */
import { msg, str } from '@lit/localize';
import { css, html, nothing } from 'lit';

/**
 * A zero-height strip stuck to the bottom of the scrolled list, so the
 * button floats over the messages and adds no height.
 */
export const jumpToLatestStyles = css`
  .to-latest {
    position: sticky;
    bottom: 0;
    height: 0;
    z-index: 3;
  }
  .to-latest button {
    position: absolute;
    right: 0;
    bottom: 12px;
    display: grid;
    place-items: center;
    width: var(--hc-touch, 44px);
    height: var(--hc-touch, 44px);
    padding: 0;
    color: var(--hc-accent-dark, #2459b8);
    background: var(--hc-surface, #fff);
    border: 1px solid var(--hc-border, #dde2ea);
    border-radius: 50%;
    box-shadow: 0 2px 8px rgb(0 0 0 / 18%);
    cursor: pointer;
  }
  .to-latest svg {
    width: 22px;
    height: 22px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2.2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .to-latest .count {
    position: absolute;
    top: -8px;
    right: -4px;
    min-width: 20px;
    padding: 1px 5px;
    font-size: 0.72rem;
    font-weight: 700;
    line-height: 18px;
    color: var(--hc-on-fill, #fff);
    background: var(--hc-accent-dark, #2459b8);
    border-radius: 999px;
  }
`;

/** What the count badge says: the number, or 99+ past 99 (none at 0). */
export function jumpCountText(unread: number): string {
  return unread > 99 ? '99+' : String(unread);
}

/** The button, labelled with the count for screen readers; `onJump` scrolls to the newest message. */
export function renderJumpToLatest(unread: number, onJump: () => void) {
  const label = unread > 0 ? msg(str`Jump to the latest message, ${unread} new`) : msg('Jump to the latest message');
  return html`<div class="to-latest">
    <button type="button" data-testid="jump-to-latest" aria-label=${label} title=${label} @click=${onJump}>
      <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5v13M6 12l6 6 6-6" /></svg>
      ${unread > 0 ? html`<span class="count" data-testid="jump-count">${jumpCountText(unread)}</span>` : nothing}
    </button>
  </div>`;
}
