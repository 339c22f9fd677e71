/**
 * The iframe's side of the postMessage protocol (shared/widget-protocol.ts).
 * The host page's origin is learned once, from the browser-verified
 * `MessageEvent.origin` of the launcher's `hello`, and everything after must
 * come from the same window and origin. Messages the launcher sent just
 * before `hello` (a pending `reset`, the `set-user`) are kept and delivered
 * first, so the session starts with them already applied.
 */
import type { FrameToHost, HostToFrame, WidgetUser } from '../../shared/widget-protocol.js';
import { isWidgetMessage } from '../../shared/widget-protocol.js';

/** The parts of `window` the channel uses (tests pass their own). */
export interface FrameWindow {
  readonly parent: { postMessage(message: unknown, targetOrigin: string): void };
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Messages from the parent kept while waiting for `hello`. */
const EARLY_LIMIT = 8;

/** An origin a page can really have: http(s), no path, not opaque. */
export function isPlausibleHostOrigin(origin: string): boolean {
  if (origin === 'null') return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/** The fields named in `limits` that `source` has as non-empty text within their length; the others are left out. */
function optionalTexts<K extends string>(source: Record<string, unknown>, limits: Record<K, number>): Partial<Record<K, string>> {
  const result: Partial<Record<K, string>> = {};
  for (const key of Object.keys(limits) as K[]) {
    const value = text(source[key], limits[key]);
    if (value) result[key] = value;
  }
  return result;
}

/** A host message with known, well-typed fields only; null for anything else. */
export function parseHostMessage(data: unknown): HostToFrame | null {
  if (!isWidgetMessage(data)) return null;
  const fields = data as Record<string, unknown>;
  switch (data.type) {
    case 'hello': {
      const site = text(fields.site, 64);
      if (!site) return null;
      return { v: 1, type: 'hello', site, ...optionalTexts(fields, { locale: 35, title: 80, greeting: 300 }) };
    }
    case 'set-user': {
      const input = fields.user as Record<string, unknown> | null;
      const id = typeof input === 'object' && input !== null ? text(input.id, 200) : undefined;
      if (!input || !id) return null;
      const user: WidgetUser = { id, ...optionalTexts(input, { name: 200, email: 254, hash: 128 }) };
      return { v: 1, type: 'set-user', user };
    }
    case 'reset':
      return { v: 1, type: 'reset' };
    case 'visibility':
      return typeof fields.open === 'boolean' ? { v: 1, type: 'visibility', open: fields.open } : null;
    default:
      return null;
  }
}

export class HostChannel {
  private origin: string | null = null;
  private early: Array<{ origin: string; message: HostToFrame }> = [];

  /**
   * `site` is this frame's own site key (from its URL): a `hello` for
   * another site is ignored. `deliver` gets every accepted message.
   */
  constructor(
    private readonly win: FrameWindow,
    private readonly site: string,
    private readonly deliver: (message: HostToFrame) => void,
  ) {
    win.addEventListener('message', this.onMessage);
  }

  /** The host page's origin, once it said hello. */
  get hostOrigin(): string | null {
    return this.origin;
  }

  /** To the host page only, never to `*`; nothing before `hello`. */
  post(message: FrameToHost): void {
    if (this.origin !== null) this.win.parent.postMessage(message, this.origin);
  }

  stop(): void {
    this.win.removeEventListener('message', this.onMessage);
  }

  private readonly onMessage = (event: MessageEvent): void => {
    // Only the page that embeds us; a top-level /embed (parent === itself) has no host.
    if (event.source !== this.win.parent || (this.win.parent as unknown) === this.win) return;
    const message = parseHostMessage(event.data);
    if (!message) return;
    if (this.origin === null) {
      if (message.type !== 'hello') {
        if (this.early.length < EARLY_LIMIT) this.early.push({ origin: event.origin, message });
        return;
      }
      if (message.site !== this.site || !isPlausibleHostOrigin(event.origin)) return;
      this.origin = event.origin;
      const early = this.early.filter((entry) => entry.origin === event.origin);
      this.early = [];
      for (const entry of early) this.deliver(entry.message);
      this.deliver(message);
      return;
    }
    // After hello: the same origin only, and one hello per frame.
    if (event.origin !== this.origin || message.type === 'hello') return;
    this.deliver(message);
  };
}
