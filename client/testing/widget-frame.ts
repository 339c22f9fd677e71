/**
 * The widget's iframe against a real test server, written once for the
 * frame's data-layer tests: an owner's site, and visitors wired as
 * client/embed/main.ts wires them, with Node's WebSocket and no IndexedDB
 * (each visitor is a fresh device; the `storage` it is given keeps who the
 * visitor is, as the frame's localStorage does). Call `useWidgetVisitors`
 * at the top of a test file, after `useTestServer`.
 */
import { afterEach, expect } from 'vitest';
import WebSocket from 'ws';
import type { SiteView } from '../../shared/widget.js';
import { api } from '../../sync-server/testing/api-call.js';
import type { TestUser } from '../../sync-server/testing/test-users.js';
import type { TestServerHandle } from '../../sync-server/testing/use-test-server.js';
import { VisitorApi } from '../embed/visitor-api.js';
import { VisitorConversation } from '../embed/visitor-conversation.js';
import { VisitorStore } from '../embed/visitor-store.js';
import { WidgetVisitor } from '../embed/widget-visitor.js';
import type { KeyValueStorage } from '../data/key-value-storage.js';
import { memoryStorage } from './memory-storage.js';

/** The host page's origin the test sites allow. */
export const WIDGET_HOST = 'https://shop.example';

/** Makes a site of `owner`'s that allows `origins`, through the app's API. */
export async function siteOf(t: TestServerHandle, owner: TestUser, origins = [WIDGET_HOST]): Promise<SiteView> {
  const created = await api<SiteView>(t.server, 'POST', '/api/sites', { cookie: owner.cookie, body: { name: 'Shop', origins } });
  expect(created.status).toBe(201);
  return created.body;
}

/** Registers the clean-up and returns `visitorOf(site, storage?)`: a visitor's frame for the site, destroyed after the test. */
export function useWidgetVisitors(t: TestServerHandle): (site: string, storage?: KeyValueStorage) => WidgetVisitor {
  const visitors: WidgetVisitor[] = [];
  afterEach(async () => {
    await Promise.all(visitors.splice(0).map((visitor) => visitor.destroy()));
  });
  return (site, storage = memoryStorage()) => {
    const visitor = new WidgetVisitor({
      site,
      api: new VisitorApi(t.server.url),
      store: new VisitorStore(storage),
      openConversation: (stored, hooks) =>
        new VisitorConversation(stored.conversationId, stored.guestId, {
          wsBase: `${t.server.url.replace(/^http/, 'ws')}/sync`,
          WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
          persist: false,
          isOnline: () => true,
          keepStorage: memoryStorage(),
          ...hooks,
        }),
      isOnline: () => true,
    });
    visitors.push(visitor);
    return visitor;
  };
}
