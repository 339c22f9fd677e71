import { localized, msg, str } from '@lit/localize';
import { shownPreview } from '../data/messages/head-preview.js';
import { LitElement, css, html, nothing, svg } from 'lit';
import { consume } from '@lit/context';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ListTyper } from '../../shared/list-typing.js';
import type { ConversationKind, ConversationSummary } from '../../shared/schema.js';
import { SNAPSHOT_MAX_ROWS, type ListRowView, type ListSnapshot } from '../data/messages/list-snapshot.js';
import type { ChatSession } from '../data/session/chat-session.js';
import { sessionContext } from '../controllers/session-context.js';
import { conversationTitle, personName } from '../data/people/display-names.js';
import { ListTypingController } from '../controllers/list-typing-controller.js';
import { PeopleController } from '../controllers/people-controller.js';
import { SessionListController } from '../controllers/session-controller.js';
import { UnreadController } from '../controllers/unread-controller.js';
import { listSections } from '../data/messages/conversation-order.js';
import { ListStateController } from '../controllers/list-state-controller.js';
import { LongPressController } from '../controllers/long-press-controller.js';
import { MutedController } from '../controllers/muted-controller.js';
import { RowLimitController } from '../controllers/row-limit-controller.js';
import type { ConversationRowMenu, ListActionDetail, RowAction } from './conversation-row-menu.js';
import './conversation-row-menu.js';
import { robotAvatar } from './conversation-avatar.js';
import { listTime } from './message-time.js';
import { mutedIcon, pinIcon } from './composer-icons.js';
import './person-avatar.js';
import { visuallyHidden } from './visually-hidden-styles.js';

/** How long the list stays unchanged before its first screen is kept for the next start (a burst of changes writes once). */
const SNAPSHOT_DELAY_MS = 1000;

export interface OpenConversationDetail {
  id: string;
}

/** The Archived row's picture: a box with a lid, drawn (no emoji font needed). */
const archiveIcon = svg`<svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="1.8"
  stroke-linecap="round" stroke-linejoin="round"><rect x="3" y="4" width="18" height="5" rx="1" /><path d="M5 9v10a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V9" /><path d="M10 13h4" /></svg>`;

/** How a conversation I am no longer in is labelled in the list. */
export const ENDED_LABELS = (): Record<NonNullable<ConversationSummary['ended']>, string> => ({
  left: msg('You left'),
  removed: msg('You were removed'),
  disbanded: msg('Disbanded'),
  'account-deleted': msg('Deleted account'),
});

/**
 * The person's conversations, from their own document (so it works
 * offline), newest activity first, each with its newest message's preview
 * and time and an unread badge, all from the heads the server keeps there
 * (docs/ARCHITECTURE.md, "Conversation heads"). Direct chats are named by my remark on the friend, if any;
 * conversations I am no longer in stay, marked. My pins come first and my
 * archived conversations sit behind an "Archived" row (issue 15;
 * shared/list-state.ts); each row's menu (its "More" button, a long press,
 * a right click, Shift+F10) pins, archives and marks unread. Until the
 * heads are read at a start, it shows the first screen as last drawn
 * (list-snapshot.ts), `aria-busy` and `data-provisional`, then the real
 * rows in the same elements. Fires `open-conversation`.
 */
@customElement('conversation-list')
@localized()
export class ConversationList extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    li {
      display: flex;
      align-items: center;
      border-bottom: 1px solid var(--hc-border, #dde2ea);
    }
    li:has(button[aria-current='true']) {
      background: var(--hc-accent-soft, #e7efff);
    }
    conversation-row-menu {
      flex: none;
      margin-right: 4px;
    }
    /* With a mouse, the row's "More" shows on hover or focus (it keeps its place, so nothing moves); touch screens always show it. */
    @media (hover: hover) {
      li:not(:hover):not(:focus-within) conversation-row-menu {
        opacity: 0;
      }
    }
    .row {
      display: flex;
      align-items: center;
      gap: 12px;
      width: 100%;
      min-height: 60px;
      padding: 8px 16px;
      font: inherit;
      text-align: left;
      color: inherit;
      background: none;
      border: 0;
      cursor: pointer;
      flex: 1;
      min-width: 0;
      padding-right: 4px;
    }
    .row:hover {
      background: var(--hc-bg, #f3f5f9);
    }
    .row[aria-current='true'] {
      background: var(--hc-accent-soft, #e7efff);
    }
    .row:focus-visible {
      outline: 3px solid var(--hc-accent, #2f6fde);
      outline-offset: -3px;
    }
    .badge {
      flex: none;
      margin-left: auto;
      min-width: 22px;
      padding: 2px 7px;
      font-size: 0.78rem;
      font-weight: 700;
      text-align: center;
      color: var(--hc-on-fill, #fff);
      background: var(--hc-accent, #2f6fde);
      border-radius: 999px;
    }
    .badges {
      display: flex;
      gap: 4px;
    }
    /* Someone @mentioned me here (issue 15): as loud as the count, in the danger colour. */
    .badge.mention {
      background: var(--hc-danger, #c0392b);
    }
    /* Marked unread by hand: a dot where the count would be. */
    .badge.marked {
      min-width: 12px;
      height: 12px;
      padding: 0;
    }
    /* Muted (issue 15): the count stays, greyed, as in WhatsApp and Telegram; the title leaves it out. */
    .badge.quiet {
      background: var(--hc-muted, #5b6472);
    }
    .pinned,
    .muted-mark {
      display: inline-flex;
      color: var(--hc-muted, #5b6472);
    }
    .archived-entry .title {
      font-weight: 600;
    }
    .archived-header {
      display: flex;
      align-items: center;
      gap: 8px;
      padding: 4px 8px;
      border-bottom: 1px solid var(--hc-border, #dde2ea);
    }
    .archived-header h2 {
      margin: 0;
      font-size: 1rem;
    }
    .archived-header button {
      min-width: 44px;
      min-height: 44px;
      font: inherit;
      font-size: 1.2rem;
      color: inherit;
      background: none;
      border: 0;
      cursor: pointer;
    }
    .pinned svg {
      width: 16px;
      height: 16px;
    }
    .archive-icon {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      width: 40px;
      height: 40px;
      flex: none;
      font-size: 1.2rem;
      color: var(--hc-muted, #5b6472);
    }
    .text {
      display: flex;
      flex-direction: column;
      min-width: 0;
    }
    .title {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-weight: 600;
    }
    .preview {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-size: 0.85rem;
      color: var(--hc-muted, #5b6472);
    }
    .preview.typing {
      color: var(--hc-accent-dark, #2459b8);
      font-style: italic;
    }
    .side {
      display: flex;
      flex: none;
      flex-direction: column;
      align-items: flex-end;
      gap: 4px;
      margin-left: auto;
    }
    .time {
      font-size: 0.75rem;
      color: var(--hc-muted, #5b6472);
    }
    .ended {
      font-size: 0.8rem;
      color: var(--hc-muted, #5b6472);
    }
    [data-ended] person-avatar {
      opacity: 0.55;
    }
    .empty {
      padding: 24px 16px;
      color: var(--hc-muted, #5b6472);
      text-align: center;
    }
    .visually-hidden {
      ${visuallyHidden}
    }
    /* The last start's first screen, until the heads are read: usable, slightly quieter. */
    ul[data-provisional] .side {
      opacity: 0.75;
    }
  `;

  /** The signed-in session, from the app root (`sessionContext`). */
  @consume({ context: sessionContext, subscribe: true })
  @state()
  private session: ChatSession | undefined;
  @property() selectedId: string | undefined;

  /** How many rows are rendered now: a screen's worth first, the rest a chunk after each paint (issue 12). */
  private readonly rows = new RowLimitController(this);
  private listLength = 0;

  private readonly people = new PeopleController(this, () => this.session);
  private readonly unread = new UnreadController(this, () => this.session);
  private readonly listStates = new ListStateController(this, () => this.session);
  private readonly mutes = new MutedController(this, () => this.session);
  /** Who types where (issue 15): shown in a row in place of its preview, as chat apps do. */
  private readonly typing = new ListTypingController(this, () => this.session?.userDoc.provider.awareness);
  private readonly longPress = new LongPressController(this);
  /** Whether the Archived section is shown in place of the list. */
  @state() private showingArchived = false;
  /** The snapshot read for `snapshotOf` (read once per session, before its heads are read). */
  private snapshot: ListSnapshot | null = null;
  private snapshotOf: ChatSession | undefined;
  /** The main section as last rendered, for the snapshot kept after it (null while the Archived section shows). */
  private firstScreen: { session: ChatSession; main: ConversationSummary[]; archived: ConversationSummary[] } | null = null;
  private snapshotTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    // The rows show the list, heads, counts, marks and typing, each followed by its own controller; not connection states.
    new SessionListController(this, () => this.session);
  }

  override render() {
    const session = this.session;
    // Not before the heads are read: rows without previews, in creation order, would all be drawn again (issue 12).
    // Until then the last start's first screen, read from localStorage at once, marked provisional (list-snapshot.ts).
    if (session && !session.heads.loaded) {
      const snapshot = this.snapshotFor(session);
      return snapshot && snapshot.rows.length > 0 ? this.list(snapshot.rows, snapshot.archivedUnread, false, true) : nothing;
    }
    const sections = listSections(
      session?.conversations() ?? [],
      (id) => this.unread.head(id),
      (id) => this.listStates.of(id),
    );
    const showingArchived = this.showingArchived && sections.archived.length > 0;
    this.firstScreen = session && !showingArchived ? { session, ...sections } : null;
    if (sections.main.length + sections.archived.length === 0) {
      return html`<p class="empty">${msg('No conversations yet. Find friends in the Friends tab, or start a group.')}</p>`;
    }
    const shown = showingArchived ? sections.archived : sections.main;
    this.listLength = shown.length;
    const archivedUnread = !showingArchived && sections.archived.length > 0 ? this.archivedUnread(sections.archived) : null;
    return this.list(
      shown.slice(0, this.rows.limit).map((c) => this.rowView(c)),
      archivedUnread,
      showingArchived,
      false,
    );
  }

  /**
   * The list's one template, for the snapshot's rows and the real ones alike:
   * when the heads are read, the same row elements take the real rows in
   * place (keyed by id), so rows that did not change do not flash or move.
   */
  private list(rows: readonly ListRowView[], archivedUnread: number | null, showingArchived: boolean, provisional: boolean) {
    return html`${showingArchived ? this.archivedHeader() : nothing}
      <ul aria-label=${showingArchived ? msg('Archived conversations') : msg('Conversations')}
        aria-busy=${provisional ? 'true' : 'false'} ?data-provisional=${provisional}>
        ${archivedUnread !== null ? this.archivedEntry(archivedUnread) : nothing}
        ${repeat(
          rows,
          (row) => row.id,
          (row) => this.row(row, !provisional),
        )}
      </ul>`;
  }

  /** The snapshot of `session`'s person, read once per session. */
  private snapshotFor(session: ChatSession): ListSnapshot | null {
    if (this.snapshotOf !== session) {
      this.snapshotOf = session;
      this.snapshot = session.listSnapshot.read();
    }
    return this.snapshot;
  }

  /** How many archived conversations have something unread. */
  private archivedUnread(archived: readonly ConversationSummary[]): number {
    return archived.filter((c) => this.unread.count(c.id) > 0 || this.listStates.of(c.id).unread).length;
  }

  /** The row that opens the Archived section, with how many archived conversations have something unread. */
  private archivedEntry(unread: number) {
    return html`<li>
      <button type="button" class="row archived-entry" data-testid="archived-entry" @click=${() => this.showArchived(true)}>
        <span class="archive-icon" aria-hidden="true">${archiveIcon}</span>
        <span class="text"><span class="title">${msg('Archived')}</span></span>
        <span class="side">
          ${
            unread > 0
              ? html`<span class="badge" data-testid="archived-unread" aria-hidden="true">${unread}</span>
                <span class="visually-hidden">, ${msg(str`${unread} with unread messages`)}</span>`
              : nothing
          }
        </span>
      </button>
    </li>`;
  }

  /** "typing…" in a one-to-one row; who, in a group's. */
  private typingText(kind: ConversationKind, typers: readonly ListTyper[]): string {
    if (kind !== 'group') return msg('typing…');
    const [first] = typers;
    if (typers.length > 1 || !first) return msg(str`${typers.length} people are typing…`);
    return msg(str`${personName(first.id, first.name, this.people.snapshot.remarks)} is typing…`);
  }

  private archivedHeader() {
    return html`<div class="archived-header">
      <button type="button" class="link" data-testid="archived-back" aria-label=${msg('Back to conversations')}
        @click=${() => this.showArchived(false)}>←</button>
      <h2>${msg('Archived')}</h2>
    </div>`;
  }

  /** What a conversation's row shows, from its summary, head, list state and mute (also what the snapshot keeps). */
  private rowView(c: ConversationSummary): ListRowView {
    const state = this.listStates.of(c.id);
    const view: ListRowView = {
      id: c.id,
      kind: c.kind,
      title: conversationTitle(c, this.people.snapshot.remarks),
      seed: c.peerId ?? c.id,
      unread: this.unread.count(c.id),
      mentioned: this.unread.mentioned(c.id),
      marked: state.unread === true,
      pinned: state.pinnedAt !== undefined,
      muted: this.mutes.has(c.id),
    };
    if (c.avatar !== undefined) view.avatar = c.avatar;
    if (c.ended) view.ended = c.ended;
    const head = this.unread.head(c.id);
    if (head) {
      view.preview = head.author === this.session?.me.id ? msg(str`You: ${shownPreview(head)}`) : shownPreview(head);
      view.at = head.at;
    }
    return view;
  }

  /** One row; `live`: the real list's (typing shown, with its menu), else the snapshot's. */
  private row(view: ListRowView, live: boolean) {
    const { id, title, unread: count, muted } = view;
    const typers = live ? this.typing.of(id) : [];
    return html`<li>
      <button type="button" class="row" data-conversation-id=${id} data-kind=${view.kind} ?data-ended=${view.ended !== undefined}
        ?data-pinned=${view.pinned} ?data-muted=${muted} aria-current=${id === this.selectedId ? 'true' : 'false'}
        @click=${() => this.rowClicked(id)} @pointerdown=${(e: PointerEvent) => this.longPress.start(e, () => this.menuOf(id)?.openMenu())}
        @pointerup=${this.longPress.cancel} @pointercancel=${this.longPress.cancel} @pointerleave=${this.longPress.cancel}
        @touchend=${this.touchEnded}
        @contextmenu=${(e: MouseEvent) => this.contextMenu(e, id)} @keydown=${(e: KeyboardEvent) => this.rowKey(e, id)}>
        ${
          view.kind === 'robot'
            ? robotAvatar(40)
            : html`<person-avatar .name=${title} .src=${view.avatar} .seed=${view.seed}></person-avatar>`
        }
        <span class="text">
          <span class="title" data-testid="conversation-item">${title}</span>
          ${
            view.ended
              ? html`<span class="ended" data-testid="conversation-ended">${ENDED_LABELS()[view.ended] ?? msg('Ended')}</span>`
              : typers.length > 0
                ? html`<span class="preview typing" data-testid="conversation-typing">${this.typingText(view.kind, typers)}</span>`
                : view.preview !== undefined
                  ? html`<span class="preview" data-testid="conversation-preview">${view.preview}</span>`
                  : null
          }
        </span>
        <span class="side">
          ${view.at !== undefined ? html`<span class="time" data-testid="conversation-time">${listTime(view.at)}</span>` : null}
          <span class="badges">
            ${
              view.pinned
                ? html`<span class="pinned" data-testid="pinned-mark" aria-hidden="true">${pinIcon}</span>
                  <span class="visually-hidden">, ${msg('pinned')}</span>`
                : null
            }
            ${
              muted
                ? html`<span class="muted-mark" data-testid="muted-mark" aria-hidden="true">${mutedIcon}</span>
                  <span class="visually-hidden">, ${msg('muted')}</span>`
                : null
            }
            ${
              view.mentioned
                ? html`<span class="badge mention" data-testid="mention-badge" aria-hidden="true">@</span>
                  <span class="visually-hidden">, ${msg('you were mentioned')}</span>`
                : null
            }
            ${
              count > 0
                ? html`<span class=${muted ? 'badge quiet' : 'badge'} data-testid="unread-badge" aria-hidden="true">${count}</span>
                  <span class="visually-hidden">, ${msg(str`${count} unread`)}</span>`
                : view.marked
                  ? html`<span class="badge marked" data-testid="unread-mark" aria-hidden="true"></span>
                    <span class="visually-hidden">, ${msg('marked unread')}</span>`
                  : null
            }
          </span>
        </span>
      </button>
      ${
        live
          ? html`<conversation-row-menu data-menu-for=${id} .label=${title} .listState=${this.listStates.of(id)} .unreadCount=${count}
              .muted=${this.mutes.known ? muted : undefined}
              @list-action=${(e: CustomEvent<ListActionDetail>) => this.act(id, e.detail.action)}></conversation-row-menu>`
          : nothing
      }
    </li>`;
  }

  override updated(): void {
    this.rows.rendered(this.listLength);
    if (this.firstScreen) this.keepSnapshotSoon();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
  }

  /** Keeps the first screen for the next start a moment after a change (one write per burst of changes, and only if it differs). */
  private keepSnapshotSoon(): void {
    if (this.snapshotTimer !== undefined) return;
    this.snapshotTimer = setTimeout(() => {
      this.snapshotTimer = undefined;
      const first = this.firstScreen;
      // The session the rows were drawn for, still signed in (its store ignores writes once it signed out).
      if (!first || first.session !== this.session || !first.session.heads.loaded) return;
      first.session.listSnapshot.write({
        rows: first.main.slice(0, SNAPSHOT_MAX_ROWS).map((c) => this.rowView(c)),
        archivedUnread: first.archived.length > 0 ? this.archivedUnread(first.archived) : null,
      });
    }, SNAPSHOT_DELAY_MS);
  }

  /**
   * Focuses the entry of `id` (a conversation just left), else the open
   * conversation's, else the first one (the skip link lands here).
   */
  focusCurrent(id?: string): void {
    const buttons = [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button[data-conversation-id]')];
    const wanted = buttons.find((button) => (id ? button.dataset.conversationId === id : button.getAttribute('aria-current') === 'true'));
    (wanted ?? buttons[0])?.focus();
  }

  private menuOf(id: string): ConversationRowMenu | null {
    return this.renderRoot.querySelector<ConversationRowMenu>(`conversation-row-menu[data-menu-for="${CSS.escape(id)}"]`);
  }

  /**
   * The finger lifts after a long press: no click, and no mouse events that would move
   * the focus to the row (and close the menu the press just opened).
   */
  private readonly touchEnded = (event: TouchEvent): void => {
    if (event.cancelable && this.longPress.endsLongPress()) event.preventDefault();
  };

  private rowClicked(id: string): void {
    // The click that ends a long press opened the menu; it is no tap.
    if (this.longPress.endsLongPress()) return;
    this.open(id);
  }

  private contextMenu(event: MouseEvent, id: string): void {
    event.preventDefault();
    this.menuOf(id)?.openMenu();
  }

  /** Shift+F10 or the Menu key on a row opens its menu, as on the desktop. */
  private rowKey(event: KeyboardEvent, id: string): void {
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault();
      this.menuOf(id)?.openMenu();
    }
  }

  private act(id: string, action: RowAction): void {
    if (action === 'mute' || action === 'unmute') {
      // At the server (it decides notifications); the row changes when it answered. The menu closed onto its button.
      void this.mutes.set(id, action === 'mute');
      return;
    }
    const before = [...this.renderRoot.querySelectorAll<ConversationRowMenu>('conversation-row-menu')];
    const at = before.findIndex((menu) => menu.dataset.menuFor === id);
    this.listStates.apply(id, action);
    // The row may have moved (pinned to the top) or left this section (archived): focus follows it, else its neighbour.
    void this.updateComplete.then(() => {
      const after = [...this.renderRoot.querySelectorAll<ConversationRowMenu>('conversation-row-menu')];
      const target = after.find((menu) => menu.dataset.menuFor === id) ?? after[Math.min(at, after.length - 1)];
      if (target) target.focusButton();
      else this.renderRoot.querySelector<HTMLButtonElement>('button')?.focus();
    });
  }

  private showArchived(show: boolean): void {
    this.showingArchived = show;
    this.rows.restart();
    void this.updateComplete.then(() =>
      this.renderRoot.querySelector<HTMLButtonElement>(show ? '[data-testid="archived-back"]' : '[data-testid="archived-entry"]')?.focus(),
    );
  }

  private open(id: string) {
    this.dispatchEvent(new CustomEvent<OpenConversationDetail>('open-conversation', { detail: { id }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'conversation-list': ConversationList;
  }
}
