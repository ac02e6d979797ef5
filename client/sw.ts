/**
 * The service worker: precaches the built application (the list is injected at build time by vite-plugin-pwa)
 * and answers every navigation with the cached shell, so the register opens without network. `/api` and `/db`
 * always go to the network. A new version waits until the user chooses "update" (SKIP_WAITING).
 */
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare let self: ServiceWorkerGlobalScope;

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// Take control of pages opened before the first installation too, so that their first update can reload them.
self.addEventListener('activate', (event: ExtendableEvent) => event.waitUntil(self.clients.claim()));

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api(\/|$)/, /^\/db(\/|$)/] }),
);
