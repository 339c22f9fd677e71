/**
 * @mentions in the composer (issue 15): typing `@` in a group opens a list
 * of its members that narrows as the name is typed (shared/mentions.ts:
 * the same reading as the server's, CJK included). Up and Down move through
 * it, Enter or Tab inserts `@Name `, Escape closes it; a click or tap
 * inserts too. The ARIA combobox pattern as a textarea may carry it (ARIA
 * in HTML allows a textarea no role): the box says `aria-autocomplete`,
 * `aria-controls` and `aria-activedescendant`, the list is a `listbox` of
 * `option`s in the same shadow root, and a polite status says how many
 * people are offered. The host renders `render()` and asks `keydown` first.
 */
import { msg, str } from '@lit/localize';
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { visuallyHidden } from '../components/visually-hidden-styles.js';
import { mentionQueryAt, mentionText, suggestMentions, type MentionCandidate, type MentionQuery } from '../../shared/mentions.js';

const LIST_ID = 'mention-list';

interface Open extends MentionQuery {
  options: MentionCandidate[];
  active: number;
}

export class MentionAutocomplete implements ReactiveController {
  private open: Open | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly textarea: () => HTMLTextAreaElement | undefined,
    private readonly candidates: () => readonly MentionCandidate[],
    /** The text changed by an insertion (the host recounts, says it is typing). */
    private readonly inserted: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** `aria-controls` for the box while the list shows. */
  get controls(): string | undefined {
    return this.open ? LIST_ID : undefined;
  }

  /** `aria-activedescendant` for the box: the highlighted person. */
  get activeId(): string | undefined {
    return this.open ? optionId(this.open.active) : undefined;
  }

  /** Whether the box offers mentions at all (a group with other members). */
  get enabled(): boolean {
    return this.candidates().length > 0;
  }

  /** Looks at the text before the caret again (after input, a click, a key that moves the caret). */
  readonly update = (): void => {
    const box = this.textarea();
    const found = box && this.enabled && box.selectionStart === box.selectionEnd ? mentionQueryAt(box.value, box.selectionStart) : null;
    const options = found ? suggestMentions(this.candidates(), found.query) : [];
    const before = this.open;
    this.open =
      found && options.length > 0
        ? { ...found, options, active: before && before.start === found.start ? Math.min(before.active, options.length - 1) : 0 }
        : null;
    if (before !== null || this.open !== null) this.host.requestUpdate();
  };

  /** Keys while the list shows; true when the key was used here (the host does nothing more with it). */
  keydown(event: KeyboardEvent): boolean {
    const open = this.open;
    if (!open || event.isComposing) return false;
    const count = open.options.length;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        open.active = (open.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        this.choose(open.active);
        break;
      case 'Escape':
        this.close();
        break;
      default:
        return false;
    }
    event.preventDefault();
    this.host.requestUpdate();
    return true;
  }

  close(): void {
    if (!this.open) return;
    this.open = null;
    this.host.requestUpdate();
  }

  render() {
    const open = this.open;
    const status = open ? msg(str`${open.options.length} people to mention. Up and Down to choose, Enter to insert.`) : '';
    return html`<span class="mention-status" role="status">${status}</span>
      ${
        open
          ? html`<ul id=${LIST_ID} class="mentions" role="listbox" aria-label=${msg('Mention someone')} data-testid="mention-list">
            ${open.options.map(
              (person, index) => html`<li id=${optionId(index)} role="option" data-testid="mention-option"
                aria-selected=${index === open.active ? 'true' : 'false'}
                @mousedown=${(event: Event) => event.preventDefault()} @click=${() => this.choose(index)}>@${person.name}</li>`,
            )}
          </ul>`
          : nothing
      }`;
  }

  /** Puts `@Name ` in place of what was typed after the `@`. */
  private choose(index: number): void {
    const open = this.open;
    const box = this.textarea();
    const person = open?.options[index];
    if (!open || !box || !person) return;
    const caret = box.selectionStart;
    const text = mentionText(person.name);
    box.value = box.value.slice(0, open.start) + text + box.value.slice(caret);
    const after = open.start + text.length;
    box.setSelectionRange(after, after);
    box.focus();
    this.open = null;
    this.inserted();
    this.host.requestUpdate();
  }
}

function optionId(index: number): string {
  return `mention-option-${index}`;
}

/** The list over the composer, and its status for screen readers only. */
export const mentionListStyles = css`
  .mentions {
    position: absolute;
    left: 12px;
    bottom: calc(100% - 4px);
    z-index: 3;
    min-width: min(240px, calc(100% - 24px));
    max-width: calc(100% - 24px);
    max-height: 240px;
    margin: 0;
    padding: 4px;
    overflow-y: auto;
    list-style: none;
    background: var(--hc-surface, #fff);
    border: 1px solid var(--hc-border, #dde2ea);
    border-radius: 10px;
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.15);
  }
  .mentions [role='option'] {
    min-height: 40px;
    padding: 10px 12px;
    box-sizing: border-box;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    border-radius: 6px;
    cursor: pointer;
  }
  .mentions [aria-selected='true'] {
    background: var(--hc-accent-soft, #e7efff);
    outline: 2px solid var(--hc-accent, #2f6fde);
    outline-offset: -2px;
  }
  .mention-status {
    ${visuallyHidden}
  }
`;
