/** The app's service worker in end-to-end tests. */
import type { Page } from '@playwright/test';

/** Waits until the service worker controls the page, so an offline reload is served from the precache. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
  });
}
