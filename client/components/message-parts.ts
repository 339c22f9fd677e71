/** Small pieces of a message as the list renders it: text with links, state icon, picture (times: message-time.ts). */
import { msg } from '@lit/localize';
import { html, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { Attachment } from '../../shared/schema.js';
import { thumbnailSize } from '../data/pictures/image-size.js';
import type { DisplayState } from '../data/messages/displayed-messages.js';
import { isEmojiOnly } from './emoji-text.js';
import { linkParts } from './linkify.js';

/** Reactions offered first; any other emoji comes from the picker. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/** Message text: escaped by Lit, with http(s) links only; a few emoji alone are shown large. */
export function renderText(text: string): TemplateResult {
  const parts = linkParts(text).map((part) =>
    part.kind === 'link' ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow">${part.text}</a>` : part.text,
  );
  const jumbo = isEmojiOnly(text);
  return html`<p class="text ${jumbo ? 'jumbo' : ''}" data-testid="message-text" ?data-emoji-only=${jumbo}>${parts}</p>`;
}

/** A picture's thumbnail: scaled by CSS from the same file, its box fixed so the list does not jump. */
export function renderPicture(attachment: Attachment, src: string | undefined, alt: string, open: () => void): TemplateResult {
  const size = thumbnailSize(attachment);
  return html`<button type="button" class="picture" aria-label=${msg('Open picture')} @click=${open}>
    <img data-testid="message-image" src=${ifDefined(src)} alt=${alt} loading="lazy" decoding="async"
      width=${size.width} height=${size.height} />
  </button>`;
}

/** A delivery state drawn as an icon, named for screen readers and on hover. */
function stateSpan(label: string, strokeWidth: number, shape: SVGTemplateResult): TemplateResult {
  return html`<span class="state" role="img" title=${label} aria-label=${label}>
    <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width=${strokeWidth} stroke-linecap="round">${shape}</svg>
  </span>`;
}

export function stateIcon(state: DisplayState): TemplateResult {
  if (state === 'failed') return stateSpan(msg('Not sent'), 1.6, svg`<circle cx="8" cy="8" r="6.2" /><path d="M8 4.8v3.6M8 11v.2" />`);
  if (state === 'pending')
    return stateSpan(msg('Waiting to be sent'), 1.5, svg`<circle cx="8" cy="8" r="6" /><path d="M8 4.5V8l2.5 1.5" />`);
  return html`<span class="state" role="img" title=${msg('Delivered')} aria-label=${msg('Delivered')}>
    <svg viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
      <path d="M3 8.5l3.2 3L13 4.5" />
    </svg>
  </span>`;
}

/** The first line or so of a message, for a reply quote. */
export function snippet(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
