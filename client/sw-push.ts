/**
 * The service worker's side of push notifications (docs/PUSH.md): show the
 * server's push as one notification per conversation (its tag replaces the
 * previous one), set the app badge to the unread total, and on a click
 * bring the app to that conversation, in an open window if there is one.
 * A push for the conversation the person is looking at shows nothing: each
 * page tells the worker which conversation it shows (`ViewingMessage`;
 * `WindowClient.url` does not follow the app's `pushState` navigation).
 */
import { parsePushPayload, type PushPayload } from '../shared/push-payload.js';

/** What the page receives from the worker when a notification is clicked (chat-app listens). */
export interface OpenConversationMessage {
  type: 'open-conversation';
  conversationId: string;
}

/** What a page tells the worker whenever the conversation in view changes (viewing-controller.ts). */
export interface ViewingMessage {
  type: 'viewing';
  /** The conversation open and visible in that page, or null. */
  conversationId: string | null;
}

interface NotificationData {
  conversationId: string;
  url: string;
}

/**
 * Window client id → the conversation it shows. In memory only: a worker
 * restarted since the page last said so shows the notification (the server
 * already sends none to a person viewing the conversation).
 */
const viewing = new Map<string, string>();

export function listenForPushes(worker: ServiceWorkerGlobalScope): void {
  worker.addEventListener('message', (event) => {
    const data: unknown = event.data;
    const source = event.source;
    if (!data || typeof data !== 'object' || (data as { type?: unknown }).type !== 'viewing' || !(source instanceof WindowClient)) return;
    const { conversationId } = data as { conversationId?: unknown };
    if (typeof conversationId === 'string') viewing.set(source.id, conversationId);
    else viewing.delete(source.id);
  });
  worker.addEventListener('push', (event) => event.waitUntil(showPush(worker, readPayload(event))));
  worker.addEventListener('notificationclick', (event) => {
    event.notification.close();
    event.waitUntil(openFromNotification(worker, event.notification.data as NotificationData | undefined));
  });
}

function readPayload(event: PushEvent): PushPayload | null {
  try {
    return parsePushPayload(event.data?.json());
  } catch {
    return null;
  }
}

async function showPush(worker: ServiceWorkerGlobalScope, payload: PushPayload | null): Promise<void> {
  if (!payload) return;
  await setBadge(worker, payload.badge);
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const reading = windows.some(
    (client) =>
      client.visibilityState === 'visible' &&
      (viewing.get(client.id) === payload.conversationId || new URL(client.url).pathname === payload.url),
  );
  if (reading) return;
  const data: NotificationData = { conversationId: payload.conversationId, url: payload.url };
  await worker.registration.showNotification(payload.title, {
    body: payload.body,
    tag: payload.tag,
    // A coalesced update ("3 new messages") should be noticed like the first one.
    renotify: true,
    icon: '/icons/icon.svg',
    badge: '/icons/icon.svg',
    data,
  } as NotificationOptions);
}

async function setBadge(worker: ServiceWorkerGlobalScope, count: number): Promise<void> {
  const badging = worker.navigator as WorkerNavigator & {
    setAppBadge?: (count?: number) => Promise<void>;
    clearAppBadge?: () => Promise<void>;
  };
  try {
    if (count > 0) await badging.setAppBadge?.(count);
    else await badging.clearAppBadge?.();
  } catch {
    // Badging is a hint: a browser without it (or without permission) still shows the notification.
  }
}

async function openFromNotification(worker: ServiceWorkerGlobalScope, data: NotificationData | undefined): Promise<void> {
  const url = data?.url ?? '/';
  const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).pathname === url) ?? windows[0];
  if (!open) {
    await worker.clients.openWindow(url);
    return;
  }
  // The page routes itself (no reload, its state stays); told first, since focusing may be refused.
  if (data) open.postMessage({ type: 'open-conversation', conversationId: data.conversationId } satisfies OpenConversationMessage);
  await open.focus();
}
