/**
 * What the launcher accepts from our iframe and what it sends into it.
 * A message counts only if the browser says it came from the chat origin
 * and from our own frame's window, in the versioned format; the result is
 * a fresh object with known fields only. Pure: no DOM globals.
 */
import { isWidgetMessage, type FrameToHost, type HostToFrame, type WidgetUser } from '../../shared/widget-protocol.js';

/** Longest preview the launcher passes on to the host page's listeners. */
export const PREVIEW_MAX_LENGTH = 200;

/** The parts of a `MessageEvent` the check reads. */
export interface ReceivedMessage {
  origin: string;
  source: unknown;
  data: unknown;
}

/** The message from our frame, or null when it is anything else (another frame, another origin, another version). */
export function frameMessage(event: ReceivedMessage, chatOrigin: string, frameWindow: unknown): FrameToHost | null {
  if (event.origin !== chatOrigin || frameWindow === null || frameWindow === undefined || event.source !== frameWindow) return null;
  const data = event.data;
  if (!isWidgetMessage(data)) return null;
  const fields = data as Record<string, unknown>;
  switch (data.type) {
    case 'ready':
    case 'close':
      return { v: 1, type: data.type };
    case 'message':
      return typeof fields.preview === 'string' ? { v: 1, type: 'message', preview: fields.preview.slice(0, PREVIEW_MAX_LENGTH) } : null;
    case 'unread': {
      const count = fields.count;
      return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? { v: 1, type: 'unread', count } : null;
    }
    default:
      return null;
  }
}

/**
 * The user the host page passes to `setUser`, reduced to known string
 * fields; null when it has no usable id. The server checks the hash.
 */
export function cleanUser(user: unknown): WidgetUser | null {
  if (typeof user !== 'object' || user === null) return null;
  const input = user as Record<string, unknown>;
  const id = typeof input.id === 'number' ? String(input.id) : input.id;
  if (typeof id !== 'string' || id.trim() === '' || id.length > 200) return null;
  const clean: WidgetUser = { id };
  for (const key of ['name', 'email', 'hash'] as const) {
    const value = input[key];
    if (typeof value === 'string' && value.trim() !== '') clean[key] = value;
  }
  return clean;
}

export function helloMessage(site: string, look: { locale?: string; title?: string; greeting?: string }): HostToFrame {
  const hello: HostToFrame = { v: 1, type: 'hello', site };
  if (look.locale) hello.locale = look.locale;
  if (look.title) hello.title = look.title;
  if (look.greeting) hello.greeting = look.greeting;
  return hello;
}
