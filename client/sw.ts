/**
 * The service worker: precaches the app shell (the list is injected at build
 * time) and answers every navigation with index.html, so the app starts with
 * no network. A new version waits until the page asks it to take over.
 * Push notifications and their clicks are handled in sw-push.ts.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { listenForPushes } from './sw-push.js';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<PrecacheEntry | string> };

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), {
    // `/embed` is the chat widget's own page (framed by other sites), never the app.
    denylist: [/^\/api(\/|$)/, /^\/sync(\/|$)/, /^\/embed(\/|\?|$)/],
  }),
);

// The first worker serves the page that installed it at once (its lazy chunks come from the
// precache offline too), not only from that page's next load. A new version still waits for "Reload".
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('message', (event) => {
  const data: unknown = event.data;
  if (data && typeof data === 'object' && (data as { type?: unknown }).type === 'SKIP_WAITING') {
    void self.skipWaiting();
  }
});

listenForPushes(self);
