/**
 * The JSON the server encrypts into each push and the service worker shows
 * (docs/PUSH.md). Apart from push-api.ts so the service worker reads it
 * without bundling zod.
 */
import { isValidId } from './doc-names.js';

/** The JSON the server encrypts into a push and the service worker shows. */
export interface PushPayload {
  /** Payload version, for a service worker older than the server. */
  v: 1;
  conversationId: string;
  /** One notification per conversation: the newer push replaces the older one. */
  tag: string;
  title: string;
  body: string;
  /** Unread messages in this conversation. */
  count: number;
  /** The person's unread total (approximate, docs/PUSH.md): the app badge. */
  badge: number;
  /** Where a click leads: the conversation's page. */
  url: string;
}

/** The notification tag of a conversation (also used by the in-tab notifications). */
export function notificationTag(conversationId: string): string {
  return `conversation-${conversationId}`;
}

/** Reads a payload defensively: the service worker must not throw on a stranger's push. */
export function parsePushPayload(value: unknown): PushPayload | null {
  if (!value || typeof value !== 'object') return null;
  const p = value as Record<string, unknown>;
  if (p.v !== 1) return null;
  if (typeof p.conversationId !== 'string' || !isValidId(p.conversationId)) return null;
  for (const key of ['tag', 'title', 'body', 'url'] as const) if (typeof p[key] !== 'string') return null;
  if (typeof p.count !== 'number' || typeof p.badge !== 'number') return null;
  return p as unknown as PushPayload;
}
