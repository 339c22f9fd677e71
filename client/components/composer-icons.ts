/** Line icons for the composer and the chat header: drawn, so they look the same without an emoji font. */
import { svg } from 'lit';

const icon = (paths: ReturnType<typeof svg>) =>
  svg`<svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="1.8"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${paths}</svg>`;

export const smileIcon = icon(svg`<circle cx="12" cy="12" r="9" /><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0" />
  <path d="M9 9.5h.01M15 9.5h.01" stroke-width="2.6" />`);

export const pictureIcon = icon(svg`<rect x="3" y="5" width="18" height="14" rx="2.5" /><circle cx="9" cy="10" r="1.8" />
  <path d="M21 16l-5-5-9 8" />`);

export const cameraIcon = icon(svg`<path d="M4 8h3l2-2.5h6L17 8h3a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V9a1 1 0 0 1 1-1z" />
  <circle cx="12" cy="13" r="3.5" />`);

export const bellIcon = icon(svg`<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" /><path d="M10 20a2 2 0 0 0 4 0" />`);

export const searchIcon = icon(svg`<circle cx="10.5" cy="10.5" r="6.5" /><path d="M15.5 15.5L21 21" />`);

/** Three dots, the chat header's "More" on a phone. */
export const moreIcon = icon(svg`<path d="M12 5.5h.01M12 12h.01M12 18.5h.01" stroke-width="3" />`);

/** A push pin: a pinned message (the bar over the list, the mark on the message). */
export const pinIcon = icon(svg`<path d="M9 3h6l-1 6 3 3v2H7v-2l3-3z" /><path d="M12 14v7" />`);

/** A bell struck through: a muted conversation's mark in the list. */
export const mutedIcon = icon(
  svg`<path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" /><path d="M10 20a2 2 0 0 0 4 0" /><path d="M4 4l16 16" />`,
);

/** A paperclip: attach a picture or a file. */
export const attachIcon = icon(
  svg`<path d="M20 11.5l-7.8 7.8a5 5 0 0 1-7.1-7.1l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7l-8.5 8.5a1.7 1.7 0 0 1-2.4-2.4l7.8-7.8" />`,
);

/** A microphone: record a voice message. */
export const micIcon = icon(svg`<rect x="9" y="3" width="6" height="11" rx="3" /><path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21" />`);
