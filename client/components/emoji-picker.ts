import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { EMOJI_CATEGORIES, localEntry, searchEmoji, type EmojiEntry } from '../data/emoji/emoji-data.js';
import { type EmojiNames, emojiNamesIn } from '../data/emoji/emoji-names.js';
import { RecentEmoji } from '../data/emoji/emoji-recent.js';
import type { AppLocale } from '../i18n/locale-choice.js';
import { currentLocale } from '../i18n/localization.js';

export interface EmojiPickDetail {
  emoji: string;
}

const RECENT = 'recent';

/** A category's name in the app's language (emoji-data.ts keeps the English one for its own use). */
function categoryLabel(id: string): string {
  switch (id) {
    case 'smileys':
      return msg('Smileys');
    case 'people':
      return msg('People', { id: 'emoji-category-people', desc: "the emoji picker's category of people and gestures" });
    case 'nature':
      return msg('Animals & nature');
    case 'food':
      return msg('Food & drink');
    case 'activities':
      return msg('Activities');
    case 'travel':
      return msg('Travel & places');
    case 'objects':
      return msg('Objects');
    case 'symbols':
      return msg('Symbols');
    case 'flags':
      return msg('Flags');
    default:
      return id;
  }
}

/**
 * Native emoji by category, with search by name and the recently used ones
 * first. Loaded on demand (with its data) the first time it is opened.
 * Fires `emoji-pick` ({emoji}) and, on Escape, `emoji-picker-close`.
 */
@customElement('emoji-picker')
@localized()
export class EmojiPicker extends LitElement {
  static override styles = css`
    :host {
      display: block;
      width: min(336px, calc(100vw - 24px));
      background: var(--hc-surface, #fff);
      border: 1px solid var(--hc-border, #dde2ea);
      border-radius: 12px;
      box-shadow: 0 8px 28px rgb(0 0 0 / 0.16);
      overflow: hidden;
    }
    input {
      display: block;
      box-sizing: border-box;
      width: calc(100% - 16px);
      margin: 8px;
      min-height: 36px;
      padding: 6px 10px;
      font: inherit;
      font-size: 16px;
      border: 1px solid var(--hc-border, #dde2ea);
      border-radius: 8px;
    }
    nav {
      display: flex;
      overflow-x: auto;
      border-bottom: 1px solid var(--hc-border, #dde2ea);
    }
    nav button {
      flex: none;
      min-width: 36px;
      min-height: 36px;
      font-size: 1.1rem;
      background: none;
      border: 0;
      border-bottom: 2px solid transparent;
      cursor: pointer;
    }
    nav button[aria-pressed='true'] {
      border-bottom-color: var(--hc-accent, #2f6fde);
    }
    h3 {
      margin: 6px 10px 2px;
      font-size: 0.78rem;
      color: var(--hc-muted, #5b6472);
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(38px, 1fr));
      height: 220px;
      overflow-y: auto;
      align-content: start;
      padding: 4px 6px 8px;
    }
    .grid button {
      min-height: 38px;
      padding: 0;
      font-size: 1.45rem;
      line-height: 1;
      background: none;
      border: 0;
      border-radius: 8px;
      cursor: pointer;
    }
    .grid button:hover,
    .grid button:focus-visible,
    nav button:hover {
      background: var(--hc-bg, #f3f5f9);
    }
    button:focus-visible,
    input:focus-visible {
      outline: 3px solid var(--hc-accent, #2f6fde);
      outline-offset: -2px;
    }
    .none {
      grid-column: 1 / -1;
      margin: 12px;
      color: var(--hc-muted, #5b6472);
      text-align: center;
    }
  `;

  @state() private query = '';
  @state() private category = RECENT;
  /** The emoji's names in the app's language, once loaded (English needs none). */
  @state() private names?: EmojiNames;
  private namesLocale?: string;
  private readonly recent = new RecentEmoji();

  override connectedCallback() {
    super.connectedCallback();
    if (this.recent.list().length === 0) this.category = EMOJI_CATEGORIES[0]?.id ?? RECENT;
  }

  override render() {
    this.loadNamesOf(currentLocale());
    const recent = this.recent.list();
    const tabs = [
      ...(recent.length > 0 ? [{ id: RECENT, label: msg('Recently used'), icon: '🕘' }] : []),
      ...EMOJI_CATEGORIES.map(({ id, icon }) => ({ id, label: categoryLabel(id), icon })),
    ];
    return html`<div data-testid="emoji-picker" role="dialog" aria-label=${msg('Emoji')} @keydown=${this.onKeydown}>
      <input type="search" data-testid="emoji-search" placeholder=${msg('Search emoji')} aria-label=${msg('Search emoji')}
        .value=${this.query} @input=${(event: Event) => (this.query = (event.target as HTMLInputElement).value)} />
      ${
        this.query
          ? nothing
          : html`<nav aria-label=${msg('Emoji categories')}>
            ${tabs.map(
              (tab) => html`<button type="button" title=${tab.label} aria-label=${tab.label}
                aria-pressed=${tab.id === this.category ? 'true' : 'false'} @click=${() => (this.category = tab.id)}>${tab.icon}</button>`,
            )}
          </nav>`
      }
      ${this.renderGrid(recent)}
    </div>`;
  }

  private renderGrid(recent: string[]) {
    let title: string;
    let entries: EmojiEntry[];
    if (this.query.trim()) {
      title = msg('Search results');
      entries = searchEmoji(this.query, undefined, this.names);
    } else if (this.category === RECENT) {
      title = msg('Recently used');
      const known = new Map(EMOJI_CATEGORIES.flatMap((c) => c.entries.map((e) => [e.emoji, e] as const)));
      entries = recent.map((emoji) => {
        const entry = known.get(emoji);
        return entry ? localEntry(entry, this.names) : { emoji, name: emoji };
      });
    } else {
      const category = EMOJI_CATEGORIES.find((c) => c.id === this.category) ?? EMOJI_CATEGORIES[0];
      title = category ? categoryLabel(category.id) : '';
      entries = (category?.entries ?? []).map((entry) => localEntry(entry, this.names));
    }
    return html`<h3>${title}</h3>
      <div class="grid" role="group" aria-label=${title}>
        ${entries.length === 0 ? html`<p class="none">${msg('No emoji found')}</p>` : nothing}
        ${entries.map(
          (entry) => html`<button type="button" data-testid="emoji-option" title=${entry.name} aria-label=${entry.name}
            @click=${() => this.pick(entry.emoji)}>${entry.emoji}</button>`,
        )}
      </div>`;
  }

  /** Loads the names in `locale` once per language (the picker stays open across a live switch). */
  private loadNamesOf(locale: AppLocale) {
    if (this.namesLocale === locale) return;
    this.namesLocale = locale;
    emojiNamesIn(locale).then(
      (names) => {
        if (this.namesLocale === locale) this.names = names;
      },
      // Offline before the module was ever cached: English names, which the picker always has.
      () => undefined,
    );
  }

  override firstUpdated() {
    // With a keyboard, typing a name is the quickest way in; on phones it would open the keyboard.
    if (!window.matchMedia('(pointer: coarse)').matches) this.renderRoot.querySelector('input')?.focus();
  }

  private pick(emoji: string) {
    this.recent.use(emoji);
    this.dispatchEvent(new CustomEvent<EmojiPickDetail>('emoji-pick', { detail: { emoji }, bubbles: true, composed: true }));
  }

  private onKeydown(event: KeyboardEvent) {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.dispatchEvent(new CustomEvent('emoji-picker-close', { bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'emoji-picker': EmojiPicker;
  }
}
