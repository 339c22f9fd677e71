/**
 * The versioned postMessage protocol between the host page's launcher
 * (client/widget/) and our iframe (client/embed/). Kept apart from
 * `widget.ts` so the loader can import it without zod: the loader must stay
 * a few KB. Pure: no node:*, no DOM.
 */

/** Version of the postMessage protocol; both sides ignore other versions. */
export const WIDGET_PROTOCOL_VERSION = 1;

/** What the host may tell the visitor about them (`HappyChat.setUser`); `hash` is made by the site's backend over id, name and email (docs/EMBEDDING.md). */
export interface WidgetUser {
  id: string;
  name?: string;
  email?: string;
  hash?: string;
}

/** Host page → iframe. */
export type HostToFrame =
  /** `title` and `greeting` override the site's settings for this page (attributes of the element). */
  | { v: 1; type: 'hello'; site: string; locale?: string; title?: string; greeting?: string }
  | { v: 1; type: 'set-user'; user: WidgetUser }
  | { v: 1; type: 'reset' }
  | { v: 1; type: 'visibility'; open: boolean };

/** Iframe → host page. */
export type FrameToHost =
  | { v: 1; type: 'ready' }
  | { v: 1; type: 'close' }
  | { v: 1; type: 'message'; preview: string }
  | { v: 1; type: 'unread'; count: number };

export function isWidgetMessage(data: unknown): data is { v: number; type: string } {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { v?: unknown }).v === WIDGET_PROTOCOL_VERSION &&
    typeof (data as { type?: unknown }).type === 'string'
  );
}
