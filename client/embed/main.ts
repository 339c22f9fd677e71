/**
 * Entry point of `/embed?site=KEY`, the iframe the launcher opens on a host
 * page. Nothing starts until the host page says hello (embed-bridge.ts).
 */
import { SYNC_PATH } from '../../shared/protocol.js';
import type { KeyValueStorage } from '../data/key-value-storage.js';
import { EmbedBridge } from './embed-bridge.js';
import './embed-chat.js';
import { VisitorApi } from './visitor-api.js';
import { VisitorConversation } from './visitor-conversation.js';
import { VisitorStore } from './visitor-store.js';
import { WidgetVisitor } from './widget-visitor.js';

/**
 * The frame's own storage, which browsers partition by the host site. Some
 * refuse any storage to third-party frames (Chromium with third-party
 * cookies blocked, e.g. incognito): then the visitor and the conversation
 * last as long as the page (docs/EMBEDDING.md, "Limits").
 */
function frameStorage(): KeyValueStorage | null {
  try {
    localStorage.setItem('happy-chat:probe', '1');
    localStorage.removeItem('happy-chat:probe');
    return localStorage;
  } catch {
    return null;
  }
}

function memoryStorage(): KeyValueStorage {
  const memory = new Map<string, string>();
  return {
    getItem: (key) => memory.get(key) ?? null,
    setItem: (key, value) => void memory.set(key, value),
    removeItem: (key) => void memory.delete(key),
  };
}

const site = new URLSearchParams(location.search).get('site') ?? '';
const wsBase = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + SYNC_PATH;
const storage = frameStorage();
const visitor = new WidgetVisitor({
  site,
  api: new VisitorApi(),
  store: new VisitorStore(storage ?? memoryStorage()),
  // Without storage there is no IndexedDB either: keep the document in memory.
  openConversation: (stored, hooks) =>
    new VisitorConversation(stored.conversationId, stored.guestId, {
      wsBase,
      network: window,
      persist: storage !== null,
      keepStorage: storage ?? memoryStorage(),
      ...hooks,
    }),
  network: window,
  isOnline: () => navigator.onLine,
});
const chat = document.createElement('embed-chat');
chat.bridge = new EmbedBridge(window, site, visitor);
document.body.append(chat);
